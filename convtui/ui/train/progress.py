"""The Progress view: which run, where it stands (bars, ETA, what it is doing), the buttons that
fit its state (pause or resume and stop while a job runs; continue and a new run once it has
ended), and the charts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, ProgressBar, Static

from convtui.i18n import t, tn
from convtui.training.run import Run
from convtui.ui.train.charts import ChartsView


def duration(seconds: float) -> str:
    """0:42, 12:05, 1:02:03."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def headline(run: Run | None) -> str:
    """Which run and its settings, on one line."""
    if run is None:
        return t("train.progress.no_run")
    config = run.config or {}
    return t("train.progress.headline", name=run.name, model=config.get("model", "?"),
             status=t(f"train.status.{run.status}"))


def state_line(run: Run | None) -> str:
    """What the run is doing now, or how it ended, and what the user can do next."""
    if run is None:
        return t("train.progress.start_hint")
    batch = run.latest_batch
    if run.status == "failed":
        return t("train.progress.failed", message=run.error or "")
    if run.status == "finished":
        return tn("train.progress.finished", run.epochs_completed,
                  accuracy=percent(run.test_accuracy or 0.0), epochs=run.epochs_completed)
    if run.status in ("stopped", "interrupted"):
        return tn(f"train.progress.{run.status}", run.epochs_completed, epochs=run.epochs_completed)
    if run.status == "paused" and batch is not None:
        return t("train.progress.paused", epoch=batch["epoch"], batch=batch["batch"])
    if run.data is None:
        download = run.last_download
        if download is not None:
            total = download["total"]
            return t("train.progress.downloading", file=download["file"],
                     done=f"{download['bytes'] / 1e6:.1f}",
                     total=f"{total / 1e6:.1f}" if total else "?")
        return t("train.progress.starting")
    if batch is None:
        return t("train.progress.first_batch")
    eta = run.eta_seconds()
    return t("train.progress.running", loss=f"{batch['loss']:.4f}",
             accuracy=percent(batch["accuracy"]), speed=f"{batch['images_per_second']:,.0f}",
             eta=duration(eta) if eta is not None else "?")


#: The state row's buttons, in the order they stand; ``shown_buttons`` says which are on.
BUTTONS = ("pause", "resume", "continue", "stop", "new-run")
BUTTON_LABELS = {"pause": "train.progress.pause", "resume": "train.progress.resume",
                 "continue": "train.progress.continue", "stop": "train.progress.stop",
                 "new-run": "train.end.new_run"}


def shown_buttons(run: Run | None) -> tuple[str, ...]:
    """The buttons that do something for ``run`` now: a button that cannot act is not shown
    (a finished run offers no Pause, a running one no New run)."""
    if run is None:
        return ("new-run",)
    if run.status == "running":
        return ("pause", "stop")
    if run.status == "paused":
        return ("resume", "stop")
    return ("continue", "new-run") if run.can_continue else ("new-run",)


def set_label(button: Button, text: str) -> None:
    """A new label, and a new width to fit it (a Button keeps its width otherwise)."""
    if str(button.label) != text:
        button.label = text
        button.refresh(layout=True)


class ProgressView(Vertical):
    """Headline, two progress bars (epochs, batches of this epoch), the state line with the
    ETA, the buttons for what can be done with the run now, and the charts."""

    DEFAULT_CSS = """
    ProgressView { height: 1fr; }
    ProgressView #run-headline { height: 1; padding: 0 1; text-style: bold; }
    ProgressView .bar-row { height: 1; padding: 0 1; }
    ProgressView .bar-row Label { width: 16; }
    ProgressView .bar-row ProgressBar { width: 1fr; }
    ProgressView .bar-row Bar { width: 1fr; }
    ProgressView #state-row { height: auto; padding: 0 1; }
    ProgressView #state-line { width: 1fr; height: auto; }
    ProgressView #state-row Button { margin-left: 1; min-width: 8; width: auto; }
    """

    def __init__(self) -> None:
        super().__init__(id="progress-view")
        self.run: Run | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="run-headline")
        with Horizontal(classes="bar-row"):
            yield Label(id="epoch-label")
            yield ProgressBar(total=1, show_eta=False, id="epoch-bar")
        with Horizontal(classes="bar-row"):
            yield Label(id="batch-label")
            yield ProgressBar(total=1, show_eta=False, id="batch-bar")
        with Horizontal(id="state-row"):
            yield Static(id="state-line")
            for name in BUTTONS:
                yield Button(t(BUTTON_LABELS[name]), compact=True, id=name,
                             variant="error" if name == "stop" else "default")
        yield ChartsView()

    def show(self, run: Run | None, compare: Run | None) -> None:
        self.run = run
        batch = run.latest_batch if run is not None else None
        epochs = max(1, run.target_epochs) if run is not None else 1
        batches = int(run.data["batches"]) if run is not None and run.data else 1
        if batch is not None:
            epoch_progress = batch["epoch"] - 1 + batch["batch"] / batch["batches"]
            batch_progress = batch["batch"]
        else:
            epoch_progress, batch_progress = 0.0, 0
        if run is not None and run.epochs_completed >= epochs:
            epoch_progress = epochs
        self.query_one("#epoch-bar", ProgressBar).update(total=epochs, progress=epoch_progress)
        self.query_one("#batch-bar", ProgressBar).update(total=batches, progress=batch_progress)
        self.query_one(ChartsView).show(run, compare)
        self.relabel()

    def relabel(self) -> None:
        run = self.run
        batch = run.latest_batch if run is not None else None
        epochs = run.target_epochs if run is not None else 0
        self.query_one("#run-headline", Static).update(headline(run))
        self.query_one("#epoch-label", Label).update(t(
            "train.progress.epoch", epoch=batch["epoch"] if batch else 0, epochs=epochs))
        self.query_one("#batch-label", Label).update(t(
            "train.progress.batch", batch=batch["batch"] if batch else 0,
            batches=batch["batches"] if batch else 0))
        self.query_one("#state-line", Static).update(state_line(run))
        shown = shown_buttons(run)
        for name in BUTTONS:
            button = self.query_one(f"#{name}", Button)
            set_label(button, t(BUTTON_LABELS[name]))
            button.display = name in shown
        self.query_one(ChartsView).relabel()
