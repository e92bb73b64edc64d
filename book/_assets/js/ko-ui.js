/* Korean for the words other extensions' scripts put on the page (loaded on every page through
 * html_js_files in _config.yml, after the extensions' own scripts).
 *
 * sphinx-copybutton 0.5.2 keeps its words in a top-level `messages` table with no Korean entry
 * and picks `locale` from <html lang> when the script loads, so its buttons said "Copy to
 * clipboard" / "Copied!". Its globals are shared by every classic script, so adding Korean here,
 * before DOMContentLoaded (when it draws the buttons), is enough.
 */
(function () {
  "use strict";
  var KO_COPY = {
    copy: "복사",
    copy_to_clipboard: "클립보드에 복사",
    copy_success: "복사했습니다",
    copy_failure: "복사하지 못했습니다",
  };
  if (document.documentElement.lang !== "ko") return;
  try {
    /* global messages, locale, iconCopy, iconCheck */
    if (typeof messages === "undefined") return;
    var english = messages.en;
    messages.ko = KO_COPY;
    locale = "ko";
    iconCopy = iconCopy.replace(english.copy_to_clipboard, KO_COPY.copy_to_clipboard);
    iconCheck = iconCheck.replace(english.copy_success, KO_COPY.copy_success);
  } catch (error) {
    // copybutton not on this page (or renamed its globals): nothing to translate.
  }
})();
