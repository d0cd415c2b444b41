"""Quiz mode without the UI: output-shape puzzles, their packs and the student's progress.

- ``model``: ``Puzzle`` and ``Pack`` (the expected answer is always the engine's trace);
- ``loader``: TOML packs checked with ``FILE:LINE: message`` problems; ``load_packs`` for the
  app, ``check_files`` for ``convtui puzzles check``;
- ``toml_lines``: line numbers for keys, which tomllib does not give;
- ``answers``: grading an answer field by field, and the worked explanation;
- ``generator``: endless random practice puzzles at three levels;
- ``progress``: score, streaks and history in ``progress.json``, saved atomically;
- ``texts``: text that follows the language: a pack author's words with their translations,
  and catalogue messages rendered when shown;
- ``cli``: the ``quiz`` options and ``convtui puzzles check``.

Nothing here imports torch or Textual.
"""
