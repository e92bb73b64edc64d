"""attn_lib: the helper package of the Korean book on attention in seq2seq RNNs.

The chapters import what they need from here; every name is also available from its module
(``attn_lib.models``, ``attn_lib.tasks``, ...). See ``docs/ARCHITECTURE.md`` for the map.
"""

import os

# Keep TensorFlow's C++ start-up log lines out of notebook outputs (the book treats stderr as an
# error); a value the reader set already wins.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from attn_lib.attention_view import AttentionView, attention_view
from attn_lib.beam import BeamResult, beam_search, length_penalty
from attn_lib.cache import ResultCache
from attn_lib.config import budget, cache_dir, is_quick
from attn_lib.decoding import DecodeResult, greedy_decode
from attn_lib.explorer import attention_explorer
from attn_lib.fonts import set_theme, use_korean_font
from attn_lib.korean import josa, with_particle
from attn_lib.metrics import (
    char_accuracy,
    exact_match,
    position_accuracy,
    teacher_forced_accuracy,
    teacher_forced_ids,
)
from attn_lib.models import (
    AttentionDense,
    AttentionLSTM,
    AttentionSeq2Seq,
    Seq2Seq,
    SimpleSeq2Seq,
)
from attn_lib.notebook import glue, glue_all
from attn_lib.playground import playground
from attn_lib.tables import show_table
from attn_lib.tasks import (
    ArrayData,
    Seq2SeqData,
    addition_task,
    attention_column_task,
    attention_dense_task,
    date_task,
    memorization_task,
    text_pairs_task,
    word_order_task,
)
from attn_lib.training import TrainConfig, TrainingHistory, learning_rate_schedule, train
from attn_lib.transformer import TransformerSeq2Seq
from attn_lib.verdicts import ClaimError, Comparison, check_claim, compare, seed_summary
from attn_lib.viz import plot_attention, plot_attention_bars, plot_history
from attn_lib.vocab import Vocab, decoder_input_ids
from attn_lib.widgets import figure_to_png, image_slider

#: The package version.
__version__ = "0.1.0"

__all__ = [
    "ArrayData",
    "AttentionDense",
    "AttentionLSTM",
    "AttentionSeq2Seq",
    "AttentionView",
    "BeamResult",
    "ClaimError",
    "Comparison",
    "DecodeResult",
    "ResultCache",
    "Seq2Seq",
    "Seq2SeqData",
    "SimpleSeq2Seq",
    "TrainConfig",
    "TrainingHistory",
    "TransformerSeq2Seq",
    "Vocab",
    "__version__",
    "addition_task",
    "attention_column_task",
    "attention_dense_task",
    "attention_explorer",
    "attention_view",
    "beam_search",
    "budget",
    "cache_dir",
    "char_accuracy",
    "check_claim",
    "compare",
    "date_task",
    "decoder_input_ids",
    "exact_match",
    "figure_to_png",
    "glue",
    "glue_all",
    "greedy_decode",
    "image_slider",
    "is_quick",
    "josa",
    "learning_rate_schedule",
    "length_penalty",
    "memorization_task",
    "playground",
    "plot_attention",
    "plot_attention_bars",
    "plot_history",
    "position_accuracy",
    "seed_summary",
    "set_theme",
    "show_table",
    "teacher_forced_accuracy",
    "teacher_forced_ids",
    "text_pairs_task",
    "train",
    "use_korean_font",
    "with_particle",
    "word_order_task",
]
