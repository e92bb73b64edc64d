"""Seeded datasets for the book's experiments, and the reader's own string pairs.

Every generated task is fully determined by its arguments (``np.random.default_rng(seed)``),
with disjoint train / validation / test splits:

- `addition_task` (`attn_lib.tasks.arithmetic`): keras-io ``addition_rnn`` (``"12+345"`` ->
  ``"357"``), input optionally reversed / doubled.
- `memorization_task` (`attn_lib.tasks.memorization`): copy or reverse a random string.
- `date_task` (`attn_lib.tasks.dates`): Korean / English date surface forms -> ISO
  ``YYYY-MM-DD``, split by calendar date.
- `attention_column_task`, `attention_dense_task` (`attn_lib.tasks.synthetic`): the label hidden
  in one time step / feature, for the attention-LSTM demo.
- `text_pairs_task` (`attn_lib.tasks.pairs`): a task from the reader's own (input, output) strings.
- `word_order_task` (`attn_lib.tasks.word_order`): generated Korean -> English sentences whose
  word order differs (SOV -> SVO), word-level tokens and gold alignments.

The containers `Seq2SeqData`, `Split` and `ArrayData` live in `attn_lib.tasks.containers`.
"""

from attn_lib.tasks.arithmetic import addition_task
from attn_lib.tasks.containers import (
    INPUT_TRANSFORMS,
    TASKS_VERSION,
    ArrayData,
    Seq2SeqData,
    Split,
)
from attn_lib.tasks.dates import (
    DATE_FORMATS,
    DATE_FORMATS_WITH_WEEKDAY,
    TWO_DIGIT_YEAR_FORMATS,
    date_source_vocab,
    date_task,
)
from attn_lib.tasks.memorization import MEMORIZATION_MODES, memorization_task
from attn_lib.tasks.pairs import text_pairs_task
from attn_lib.tasks.synthetic import attention_column_task, attention_dense_task
from attn_lib.tasks.word_order import word_order_task

__all__ = [
    "DATE_FORMATS",
    "DATE_FORMATS_WITH_WEEKDAY",
    "INPUT_TRANSFORMS",
    "MEMORIZATION_MODES",
    "TASKS_VERSION",
    "TWO_DIGIT_YEAR_FORMATS",
    "ArrayData",
    "Seq2SeqData",
    "Split",
    "addition_task",
    "attention_column_task",
    "attention_dense_task",
    "date_source_vocab",
    "date_task",
    "memorization_task",
    "text_pairs_task",
    "word_order_task",
]
