"""Short words found through an index: the character grams of a task's title and text.

Chinese has no spaces to split words on and PostgreSQL ships no Chinese segmenter. The trigram
indexes (migration 0008) serve words of three characters or more only, and most words people
search for are two characters (均衡, 整改, 督学, 双减). So a task keeps its grams: the distinct
characters and pairs of adjacent characters of its title and of its text, case folded, in one
space-separated string (`Task.search_grams`, a GIN index over its words on PostgreSQL).

A word of one character is in a text only if the text has that character; a word of two only if
it has that pair; a longer word only if it has every pair of the word. So the tasks holding all
of a word's grams are the only tasks that can match, and a plain LIKE on those few confirms the
ones that do (pairs can be had in another order).

A plan keeps the runs of one to four adjacent characters of its tasks' titles and texts
(`WorkPlan.search_grams`; the plan list's index adds its title's, notice title's and 文号's,
plans migrations 0009 and 0012): a word of up to four characters has one gram there
(`plan_word_grams`), so the plans holding it are the answer with no task read; a longer word can
be only in the plans holding every run of four of it, which LIKE confirms (plans.filters). Pure
Python: no Django here.
"""

import re

_SPACE = re.compile(r"\s")


def fold(text: str) -> str:
    """Upper case, one character for one, as PostgreSQL's UPPER() folds for a case-insensitive
    match; a character whose upper case is longer (ß → SS) stays as it is."""
    upper = text.upper()
    if len(upper) == len(text):
        return upper
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in text)


def _grams(folded: str, widths: int = 2) -> set[str]:
    """The characters of `folded` and its runs of adjacent characters up to `widths` long."""
    grams = set(folded)
    for width in range(2, widths + 1):
        grams.update(folded[i : i + width] for i in range(len(folded) - width + 1))
    return grams


def search_grams(*texts: str) -> str:
    """The grams of these texts (a title and a text: no pair spans the two), sorted and
    separated by spaces. Grams with white space are left out: a search word never has any."""
    grams = set()
    for text in texts:
        grams |= _grams(fold(text or ""))
    return " ".join(sorted(g for g in grams if not _SPACE.search(g)))


# The longest gram of a plan's: a word of up to so many characters is found exactly among the
# plans' grams. Four: the commonest length of a word searched for (督导评估, 义务教育).
PLAN_GRAM_WIDTH = 4


def plan_search_grams(tasks) -> str:
    """A plan's grams from its tasks' (title, text) pairs: the runs of one to PLAN_GRAM_WIDTH
    adjacent characters of each title and each text (no run spans two of them), case folded,
    sorted and separated by spaces. A word of up to that many characters is in one of the plan's
    tasks exactly when its one gram (`plan_word_grams`) is here; a longer word can be only when
    all of its runs of that length are."""
    grams = set()
    for title, text in tasks:
        for part in (title, text):
            grams |= _grams(fold(part or ""), PLAN_GRAM_WIDTH)
    return " ".join(sorted(g for g in grams if not _SPACE.search(g)))


def word_grams(word: str) -> list[str]:
    """The grams a text must have to contain `word`: the character itself for one character,
    every pair of adjacent characters for more."""
    folded = fold(word)
    if len(folded) < 2:
        return [folded] if folded else []
    return sorted({folded[i : i + 2] for i in range(len(folded) - 1)})


def plan_word_grams(word: str) -> list[str]:
    """The grams a plan must have to hold `word` (plan_search_grams): the word itself up to
    PLAN_GRAM_WIDTH characters, every run of that many adjacent characters for more."""
    folded = fold(word)
    if len(folded) <= PLAN_GRAM_WIDTH:
        return [folded] if folded else []
    return sorted({folded[i : i + PLAN_GRAM_WIDTH] for i in range(len(folded) - PLAN_GRAM_WIDTH + 1)})
