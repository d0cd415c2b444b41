"""Train: a CNN trained on MNIST in a background process, followed live.

The job writes its event log; a thread worker tails it and posts snapshots that coalesce, so
the panel draws at most the newest one however fast the job logs, and keeps following while
the user is in other panels. What the network learned is computed from its checkpoints in
another worker (the only place this panel imports torch).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from convtui.i18n import plural_key, t
from convtui.training.cli import config_from_args
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.events import EVENTS_FILE, EventTail
from convtui.training.export import export_table, hparam_row, run_record
from convtui.training.job import Job
from convtui.training.preflight import DataSizes, Throughput, check_environment, measured_throughput
from convtui.training.runs import RunInfo, delete_run, list_runs, request, run_info, runs_root
from convtui.training.snapshot import RunSnapshot, load_snapshot, take_snapshot
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.train.confirm import DeleteRunScreen, ExportRunsScreen, StartRunScreen
from convtui.ui.train.form import FormError, RunForm, RunRequest
from convtui.ui.train.hparams import HParamsTable
from convtui.ui.train.jobs import continue_run, live_pid, resume_config, start_new
from convtui.ui.train.learned import (
    LEARNED_TABS,
    DigitMaps,
    Guess,
    Learned,
    LearnedView,
    compute_digit,
    compute_learned,
)
from convtui.ui.train.progress import ProgressView
from convtui.ui.train.quit import LEAVE, STOP, QuitTrainingScreen
from convtui.ui.train.runs import RunsTable
from convtui.ui.widgets.montage import Montage

#: Seconds between two reads of the log while following a run.
POLL_S = 0.5
#: Seconds between two redraws of a run's progress (a change of status is drawn at once).
REDRAW_S = 1.0
#: How long the follower waits for a job of ours that has said its last word to exit.
REAP_WAIT_S = 30.0
#: The panel's tabs and the key that opens each.
TAB_KEYS = {"new": "n", "progress": "g", "learned": "l", "runs": "r"}
#: The guided tour's run: small enough to finish in seconds on a laptop CPU.
TOUR_LIMIT_TRAIN, TOUR_LIMIT_TEST, TOUR_LOG_EVERY = 6000, 1000, 2


class RunUpdated(Message):
    """The followed run's newest state; a newer one replaces it if it has not been drawn."""

    def __init__(self, snapshot: RunSnapshot) -> None:
        super().__init__()
        self.snapshot = snapshot

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RunUpdated) and message.snapshot.path == self.snapshot.path


class LearnedReady(Message):
    def __init__(self, learned: Learned, digit: DigitMaps) -> None:
        super().__init__()
        self.learned, self.digit = learned, digit


class DigitReady(Message):
    def __init__(self, digit: DigitMaps) -> None:
        super().__init__()
        self.digit = digit


class TrainScreen(PanelScreen):
    PANEL = "train"
    PRESETS: ClassVar[tuple[str, ...]] = ("tiny",)

    DEFAULT_CSS = """
    TrainScreen #train-tabs { height: 1fr; }
    TrainScreen #train-tabs > ContentSwitcher { height: 1fr; }
    TrainScreen #train-tabs > ContentSwitcher > TabPane { height: 1fr; padding: 0; }
    TrainScreen #new-scroll { height: 1fr; }
    TrainScreen #runs-hint { height: auto; padding: 0 1; color: $text-muted; }
    TrainScreen #status.error { color: $error; }
    """

    BINDINGS: ClassVar = [
        Binding("n", "show_tab('new')", "keys.train.new", show=False),
        Binding("g", "show_tab('progress')", "keys.train.progress", show=False),
        Binding("l", "learned", "keys.train.learned", show=False),
        Binding("r", "show_tab('runs')", "keys.train.runs", show=False),
        Binding("s", "start", "keys.train.start"),
        Binding("p", "pause", "keys.train.pause"),
        Binding("p", "resume", "keys.train_end.resume"),
        Binding("p", "continue_run", "keys.train_end.continue"),
        Binding("x", "stop", "keys.train.stop"),
        Binding("c", "compare", "keys.train.compare"),
        Binding("delete", "delete_run", "keys.train_delete.delete"),
        Binding("h", "hparams", "keys.train_export.hparams"),
        Binding("e", "export_runs", "keys.train_export.export"),
        Binding("f", "filter(1)", "keys.train.next_filter", show=False),
        Binding("F", "filter(-1)", "keys.train.previous_filter", show=False),
        Binding("d", "digit(1)", "keys.train.next_digit", show=False),
        Binding("D", "digit(-1)", "keys.train.previous_digit", show=False),
        Binding("o", "open_in_stepper", "keys.train.stepper"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.run: RunSnapshot | None = None  # the open run, as last drawn
        self.compare: RunSnapshot | None = None
        self.jobs: dict[Path, Job] = {}  # jobs this panel started (reaped when they exit)
        self.session_runs: set[Path] = set()  # runs started or attached to in this app
        self._learned_key: tuple[Path, int] | None = None  # checkpoint the view shows/computes
        self._status: tuple[str, dict[str, Any], bool] = ("train.status_line.ready", {}, False)
        # (run, status) while the status line speaks of that run in that status: a message
        # such as "Resume asked" is no longer true once the run's status changes
        self._status_holds: tuple[Path, str] | None = None
        self._following: Path | None = None  # the run whose log the tail worker reads
        self._field_error = False  # the form shows a field's error (re-said on F2)
        self._stale = False  # the run changed while the panel was hidden

    # layout ------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        options = self.app.options
        with TabbedContent(id="train-tabs", initial="new"):
            with TabPane("", id="new"), VerticalScroll(id="new-scroll"):
                yield RunForm(self._initial_config(), None if getattr(options, "resume", None)
                              else getattr(options, "run_dir", None))
            with TabPane("", id="progress"):
                yield ProgressView()
            with TabPane("", id="learned"):
                yield LearnedView()
            with TabPane("", id="runs"):
                yield Static(id="runs-hint")
                yield RunsTable()
                yield HParamsTable()
        yield Static(id="status")

    def _initial_config(self) -> TrainConfig:
        """The command line's options over the defaults (bad ones were refused by argparse).
        Options given with --resume are for that run: a new run starts from the defaults."""
        if getattr(self.app.options, "resume", None):
            return TrainConfig()
        return config_from_args(self.app.options)

    def on_mount(self) -> None:
        guards = getattr(self.app, "quit_guards", None)
        if guards is not None:
            guards.append(self.confirm_quit)
        self.relabel()
        self.query_one(ProgressView).show(None, None)
        resume = getattr(self.app.options, "resume", None)
        if resume:
            self._activate("progress")
            self.resume_from_command_line(Path(resume).expanduser())

    # words -------------------------------------------------------------------------------------
    def relabel(self) -> None:
        tabs = self.query_one("#train-tabs", TabbedContent)
        for tab, key in TAB_KEYS.items():
            tabs.get_tab(tab).label = f"{key} {t(f'train.tabs.{tab}')}"
        form = self.query_one(RunForm)
        form.relabel()
        if self._field_error:  # say it again in the new language
            self._check_form()
        self.query_one(ProgressView).relabel()
        self.query_one(LearnedView).relabel()
        self.query_one(RunsTable).relabel()
        self.query_one(HParamsTable).relabel()
        self.query_one("#runs-hint", Static).update(t("train.delete.hint", folder=str(runs_root())))
        self._draw_status()

    def say(self, key: str, error: bool = False, *, holds_while: tuple[Path, str] | None = None,
            **params: Any) -> None:
        """Put a message on the status line (kept as a key, so F2 translates it).
        ``holds_while`` (run, status): the message is about that run in that status, and is
        cleared when the run's status changes."""
        self._status = (key, params, error)
        self._status_holds = holds_while
        self._draw_status()

    def _clear_stale_status(self, snapshot: RunSnapshot) -> None:
        holds = self._status_holds
        if holds is not None and holds[0] == snapshot.path and holds[1] != snapshot.status:
            self.say("train.status_line.ready")

    def _draw_status(self) -> None:
        key, params, error = self._status
        status = self.query_one("#status", Static)
        status.update(Text(t(key, **params)))  # plain: messages hold paths, "[extra]"
        status.set_class(error, "error")

    # tabs ----------------------------------------------------------------------------------
    @property
    def active_tab(self) -> str:
        return self.query_one("#train-tabs", TabbedContent).active

    def _activate(self, tab: str) -> None:
        self.query_one("#train-tabs", TabbedContent).active = tab

    def action_show_tab(self, tab: str) -> None:
        """Show a tab; in Runs the arrows and Enter work the list at once."""
        self._activate(tab)
        self.set_focus(self._runs_view() if tab == "runs" else None)

    def _runs_view(self) -> RunsTable | HParamsTable:
        """The Runs tab's table on show: the runs list, or the hyperparameter table (h)."""
        table = self.query_one(HParamsTable)
        return table if table.display else self.query_one(RunsTable)

    def action_learned(self) -> None:
        """Open Learned; pressed again, show its next view."""
        if self.active_tab != "learned":
            self.action_show_tab("learned")
            return
        tabs = self.query_one("#learned-tabs", TabbedContent)
        tabs.active = LEARNED_TABS[(LEARNED_TABS.index(tabs.active) + 1) % len(LEARNED_TABS)]
        self.set_focus(None)

    @on(TabbedContent.TabActivated, "#train-tabs")
    def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id
        self._notice_gone()
        if tab == "learned":
            self.refresh_learned()
        elif tab == "runs":
            self.load_runs()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that mean nothing where the user is are hidden from the footer."""
        tab = self.active_tab if self.is_mounted else "new"
        if action == "start":
            return tab == "new"
        run = self.run
        if action in ("pause", "resume", "continue_run"):
            wanted = {"pause": run is not None and run.status == "running",
                      "resume": run is not None and run.status == "paused",
                      "continue_run": run is not None and run.can_continue}
            return tab in ("progress", "learned") and wanted[action]
        if action == "stop":
            return tab in ("progress", "learned") and run is not None and run.active
        if action in ("compare", "delete_run"):
            return tab == "runs" and not self.query_one(HParamsTable).display
        if action in ("hparams", "export_runs"):
            return tab == "runs"
        if action in ("filter", "digit", "open_in_stepper"):
            return tab == "learned"
        return True

    # starting ----------------------------------------------------------------------------------
    def action_start(self) -> None:
        """Check the form, then the data and device, then ask (StartRunScreen): a run starts
        only once the user has seen what it will cost."""
        run = self._check_form()
        if run is not None:
            self.say("train.start.checking")
            self.check_start(run)

    def _check_form(self) -> RunRequest | None:
        """The form's request, or None with the bad field marked and its problem said."""
        form = self.query_one(RunForm)
        try:
            run = form.read()
        except FormError as err:
            self._field_error = True
            form.show_error(err.message, err.field)
            self.say("train.status_line.form_error", error=True)
            return None
        self._field_error = False
        form.show_error("")
        return run

    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted, "RunForm Input")
    def field_submitted(self) -> None:
        """Enter in a field moves to the next one: it never starts a run."""
        self.focus_next()

    @work(thread=True, exclusive=True, group="start")
    def check_start(self, run: RunRequest) -> None:
        """The data (downloaded first when it may be) and the device, off the UI thread."""
        def progress(name: str, done: int, total: int | None) -> None:
            self.app.call_from_thread(
                self.say, "train.progress.downloading", file=name, done=f"{done / 1e6:.1f}",
                total=f"{total / 1e6:.1f}" if total else "?")

        try:
            sizes = check_environment(run.config, progress)
        except TrainingError as err:
            self.app.call_from_thread(self._start_failed, err.message)
            return
        speed = measured_throughput(run.config, list_runs())
        self.app.call_from_thread(self._confirm_start, run, sizes, speed)

    def _confirm_start(self, run: RunRequest, sizes: DataSizes, speed: Throughput | None
                       ) -> None:
        def chosen(start: bool | None) -> None:
            if start:
                self.say("train.status_line.starting")
                self.launch(run)
            else:
                self.say("train.start.cancelled")

        self.say("train.start.asking")
        self.app.push_screen(StartRunScreen(run.config, sizes, speed), chosen)

    @work(thread=True, exclusive=True, group="start")
    def launch(self, run: RunRequest) -> None:
        try:
            job = start_new(run)
        except TrainingError as err:
            self.app.call_from_thread(self._start_failed, err.message)
            return
        self.app.call_from_thread(self._started, job)

    def _start_failed(self, message: str) -> None:
        self._field_error = False
        self.query_one(RunForm).show_error(message)
        self._activate("new")
        self.say("train.status_line.not_started", error=True)

    def _started(self, job: Job) -> None:
        self.jobs[job.run_dir] = job
        self.attach(job.run_dir)
        self.say("train.status_line.started", name=job.run_dir.name, pid=job.pid,
                 holds_while=(job.run_dir, "running"))

    def show_preset(self, preset: str) -> None:
        """``tiny``: the form set for a run of the tiny model that takes seconds (not started:
        the user presses Start)."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        options = self.app.options
        self.query_one(RunForm).fill(TrainConfig(
            model="tiny", epochs=1, limit_train=TOUR_LIMIT_TRAIN, limit_test=TOUR_LIMIT_TEST,
            log_every=TOUR_LOG_EVERY, seed=0, data_dir=getattr(options, "data_dir", None)))
        self.action_show_tab("new")
        self.query_one("#start", Button).focus()
        self.say("train.status_line.preset_tiny")

    # following a run ---------------------------------------------------------------------------
    def attach(self, run_dir: Path) -> None:
        """Open ``run_dir`` in the panel and follow its log."""
        if self.run is None or self.run.path != run_dir:
            self.run = None
            self.query_one(LearnedView).clear("train.learned.waiting")
            self._learned_key = None
        self._following = run_dir
        if live_pid(run_dir) is not None:
            self.session_runs.add(run_dir)
        self.follow(run_dir)
        self._activate("progress")
        self.set_focus(None)
        self.query_one(RunsTable).mark(run_dir, self.compare.path if self.compare else None)

    @work(thread=True, exclusive=True, group="tail")
    def follow(self, run_dir: Path) -> None:
        """Tail the log until the run has no job left, posting a snapshot on every change."""
        worker = get_current_worker()
        tail = EventTail(run_dir / EVENTS_FILE)
        shown: tuple[int, str, int | None] | None = None
        posted = 0.0
        while not worker.is_cancelled:
            self._reap()
            tail.poll()
            snapshot = take_snapshot(run_dir, tail.history)
            if not snapshot.active:  # the job has gone: its last words are in the log now
                tail.poll()
                snapshot = take_snapshot(run_dir, tail.history)
            state = (tail.offset, snapshot.status, snapshot.pid)
            # A new status at once; new progress at most every REDRAW_S (a person reading
            # charts needs no more, and the job gets the CPU).
            if shown is None or state[1:] != shown[1:] or (
                    state != shown and time.monotonic() - posted >= REDRAW_S):
                shown, posted = state, time.monotonic()
                self.post_message(RunUpdated(snapshot))
            if not snapshot.active:
                break
            time.sleep(POLL_S)
        job = self.jobs.get(run_dir)
        # Ours and done: collect its exit status, it is about to exit. Cancelled (the app is
        # quitting): never wait, a job left running or asked to stop ends on its own.
        if job is not None and not worker.is_cancelled:
            with contextlib.suppress(subprocess.TimeoutExpired):
                job.process.wait(timeout=REAP_WAIT_S)

    def _reap(self) -> None:
        """Collect the exit status of jobs this panel started (no zombies)."""
        for job in list(self.jobs.values()):
            job.process.poll()

    @on(RunUpdated)
    def run_updated(self, event: RunUpdated) -> None:
        snapshot = event.snapshot
        if snapshot.path != self._following:
            return  # posted before the user opened another run
        before = self.run.status if self.run is not None else None
        previous = self.run if self.run is not None and self.run.path == snapshot.path else None
        self.run = snapshot
        self._clear_stale_status(snapshot)
        self._say_damage(snapshot, previous)
        if snapshot.active:
            self.session_runs.add(snapshot.path)
        if not self.is_current:  # drawn when the user comes back (on_screen_resume)
            self._stale = True
            return
        self._draw_run(status_changed=snapshot.status != before)

    def _say_damage(self, snapshot: RunSnapshot, previous: RunSnapshot | None) -> None:
        """A deleted folder or unreadable lines in the log are said once each: the screen
        keeps what was read, and the user learns why nothing more comes."""
        if snapshot.gone:
            if previous is None or not previous.gone:
                self.say("train.status_line.run_gone", error=True, name=snapshot.name)
        elif snapshot.unreadable > (previous.unreadable if previous is not None else 0):
            self.say("train.status_line.log_damaged", error=True, name=snapshot.name,
                     count=snapshot.unreadable)

    def _notice_gone(self) -> None:
        """The open run's folder deleted since it was last read: say so, offer no Continue."""
        if self.run is not None:
            checked = self.run.folder_checked()
            if checked is not self.run:
                previous, self.run = self.run, checked
                self._say_damage(checked, previous)

    def _draw_run(self, status_changed: bool = True) -> None:
        self._stale = False
        self.query_one(ProgressView).show(self.run, self.compare)
        if self.active_tab == "learned":
            self.refresh_learned()
        if status_changed:  # the keys on offer follow the status; redrawing the footer
            self.refresh_bindings()  # on every batch would take the job's CPU
            if self.active_tab == "runs":
                self.load_runs()

    def on_screen_resume(self) -> None:
        """Catch up with what the run did while the user was in another panel."""
        if self._stale:
            self._draw_run()

    # pause, resume, stop -----------------------------------------------------------------------
    def action_pause(self) -> None:
        """Pause the running job (``check_action`` allows it only then)."""
        run = self.run
        if run is not None and run.status == "running":
            request(run.path, "pause")
            self.say("train.status_line.pause_asked", name=run.name,
                     holds_while=(run.path, run.status))

    def action_resume(self) -> None:
        run = self.run
        if run is not None and run.status == "paused":
            request(run.path, "resume")
            self.say("train.status_line.resume_asked", name=run.name,
                     holds_while=(run.path, run.status))

    def action_continue_run(self) -> None:
        """Continue a run that ended early from its last checkpoint."""
        run = self.run
        if run is not None and run.can_continue:
            self.say("train.status_line.continuing", name=run.name,
                     holds_while=(run.path, run.status))
            self.continue_job(run.path, None)

    def action_stop(self) -> None:
        run = self.run
        if run is not None and run.active:
            request(run.path, "stop")
            self.say("train.status_line.stop_asked", name=run.name,
                     holds_while=(run.path, run.status))

    @on(Button.Pressed, "#pause")
    def pause_pressed(self) -> None:
        self.action_pause()

    @on(Button.Pressed, "#resume")
    def resume_pressed(self) -> None:
        self.action_resume()

    @on(Button.Pressed, "#continue")
    def continue_pressed(self) -> None:
        self.action_continue_run()

    @on(Button.Pressed, "#stop")
    def stop_pressed(self) -> None:
        self.action_stop()

    @on(Button.Pressed, "#new-run")
    def new_run_pressed(self) -> None:
        self.action_show_tab("new")

    @work(thread=True, exclusive=True, group="start")
    def continue_job(self, run_dir: Path, config: TrainConfig | None) -> None:
        try:
            job = continue_run(run_dir, config)
        except TrainingError as err:
            self.app.call_from_thread(self.say, "train.status_line.error", True,
                                      message=err.message)
            self.app.call_from_thread(self.attach, run_dir)
            return
        if job is None:
            self.app.call_from_thread(self.say, "train.status_line.already_finished",
                                      name=run_dir.name, holds_while=(run_dir, "finished"))
            self.app.call_from_thread(self.attach, run_dir)
            return
        self.app.call_from_thread(self._started, job)

    @work(thread=True, exclusive=True, group="start")
    def resume_from_command_line(self, run_dir: Path) -> None:
        """`convtui train --resume RUN_DIR`: follow the run if a job is on it, else continue it
        (with the changes the options ask for)."""
        try:
            info = run_info(run_dir)
            if info.status in ("running", "paused"):
                self.app.call_from_thread(self.attach, run_dir)
                self.app.call_from_thread(self.say, "train.status_line.attached",
                                          name=run_dir.name, pid=info.pid,
                                          holds_while=(run_dir, info.status))
                return
            config = resume_config(run_dir, self.app.options)
        except TrainingError as err:
            self.app.call_from_thread(self.say, "train.status_line.error", True,
                                      message=err.message)
            return
        self.app.call_from_thread(self.continue_job, run_dir, config)

    # learned -----------------------------------------------------------------------------------
    def refresh_learned(self) -> None:
        """Compute what the open run's newest checkpoint learned, unless it is shown already."""
        view = self.query_one(LearnedView)
        run = self.run
        if run is None:
            view.clear("train.learned.no_run")
            return
        epoch = run.checkpoint_epoch
        if epoch is None:
            view.clear("train.learned.no_checkpoint", name=run.name)
            return
        if self._learned_key == (run.path, epoch):
            return
        self._learned_key = (run.path, epoch)
        view.say("train.learned.computing", epoch=epoch)
        self.learn(run.path, view.guess_index)

    @work(thread=True, exclusive=True, group="learned")
    def learn(self, run_dir: Path, guess_index: int) -> None:
        try:
            learned = compute_learned(run_dir)
            guess = learned.guesses[min(guess_index, len(learned.guesses) - 1)]
            digit = compute_digit(learned, guess)
        except TrainingError as err:
            self.app.call_from_thread(self._learned_failed, err.message)
            return
        except ImportError as err:
            self.app.call_from_thread(self._learned_failed, str(err))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(LearnedReady(learned, digit))

    def _learned_failed(self, message: str) -> None:
        self._learned_key = None
        self.query_one(LearnedView).clear("train.learned.failed", message=message)

    @on(LearnedReady)
    async def learned_ready(self, event: LearnedReady) -> None:
        if self.run is None or event.learned.run_dir != self.run.path:
            return
        view = self.query_one(LearnedView)
        view.show_learned(event.learned)
        await view.show_digit(event.digit)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="digit")
    def look_at(self, learned: Learned, guess: Guess) -> None:
        digit = compute_digit(learned, guess)
        if not get_current_worker().is_cancelled:
            self.post_message(DigitReady(digit))

    @on(DigitReady)
    async def digit_ready(self, event: DigitReady) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            await view.show_digit(event.digit)

    def action_filter(self, delta: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            view.select_filter(view.filter_index + delta)

    def action_digit(self, delta: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            self.choose_guess((view.guess_index + delta) % len(view.learned.guesses))

    def choose_guess(self, index: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is None:
            return
        view.guess_index = index
        montage = view.query_one("#guesses", Montage)
        montage.set_reactive(Montage.selected, index)
        montage.refresh()
        self.look_at(view.learned, view.learned.guesses[index])

    @on(Montage.Selected, "#filter-bank")
    def filter_clicked(self, event: Montage.Selected) -> None:
        self.query_one(LearnedView).select_filter(event.index)

    @on(Montage.Selected, "#guesses")
    def guess_clicked(self, event: Montage.Selected) -> None:
        self.choose_guess(event.index)

    @on(Button.Pressed, "#to-stepper")
    async def stepper_pressed(self) -> None:
        await self.action_open_in_stepper()

    async def action_open_in_stepper(self) -> None:
        """Send the selected filter and the selected digit (as the network sees it) to the
        Stepper, to step a trained kernel across a real digit."""
        view = self.query_one(LearnedView)
        learned, digit = view.learned, view.digit
        if learned is None or digit is None:
            self.say("train.status_line.stepper_not_ready", error=True)
            return
        kernel = learned.filters[view.filter_index, 0].astype(np.float64)
        image = np.array(digit.network_input, dtype=np.float64)
        label = t("train.learned.stepper_label", filter=view.filter_index,
                  index=digit.guess.index, digit=digit.guess.label, run=learned.run_dir.name,
                  epoch=learned.epoch)
        await self.app.switch_mode("stepper")
        self.app.screen.load_arrays(image, kernel, label, normalised=True)

    # runs --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="runs")
    def load_runs(self) -> None:
        runs = list_runs()
        extra = [self.run.path] if self.run is not None else []
        known = {info.path for info in runs}
        runs += [run_info(path) for path in extra if path not in known]
        rows = []
        for info in runs:
            with contextlib.suppress(TrainingError):  # a broken config: listed, not tabled
                rows.append(hparam_row(run_record(info)))
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_runs, runs, rows)

    def _show_runs(self, runs: list[RunInfo], rows: list[dict[str, Any]]) -> None:
        self.query_one(RunsTable).show(runs, self.run.path if self.run else None,
                                       self.compare.path if self.compare else None)
        self.query_one(HParamsTable).show(rows)

    def action_hparams(self) -> None:
        """Switch the Runs tab between the runs list and the hyperparameter table."""
        hparams = self.query_one(HParamsTable)
        hparams.display = not hparams.display
        self.query_one(RunsTable).display = not hparams.display
        self.set_focus(self._runs_view())
        self.say("train.export.hparams_shown" if hparams.display else "train.status_line.ready")
        self.refresh_bindings()

    def action_export_runs(self) -> None:
        """Write every run to a CSV or JSON file the user names (``convtui runs export``)."""
        def chosen(text: str | None) -> None:
            if text is None:
                return
            if not text.strip():
                self.say("train.export.no_file", error=True)
                return
            self.export_runs(Path(text.strip()).expanduser().absolute())

        self.app.push_screen(ExportRunsScreen(Path.cwd() / "convtui-runs.csv"), chosen)

    @work(thread=True, exclusive=True, group="export")
    def export_runs(self, path: Path) -> None:
        try:
            count = export_table(path)
        except TrainingError as err:
            self.app.call_from_thread(self.say, "train.export.failed", True, message=err.message)
            return
        self.app.call_from_thread(self.say, plural_key("training.export.written", count),
                                  count=count, path=str(path))

    @on(DataTable.RowSelected, "#runs-table")
    def run_chosen(self, event: DataTable.RowSelected) -> None:
        path = Path(str(event.row_key.value))
        self.attach(path)
        self.say("train.status_line.opened", name=path.name)

    def action_delete_run(self) -> None:
        """Delete the highlighted run's folder, once the user confirms (never a live run)."""
        path = self.query_one(RunsTable).highlighted()
        if path is None:
            self.say("train.status_line.no_runs", error=True)
            return

        def chosen(delete: bool | None) -> None:
            if not delete:
                return
            try:
                delete_run(path)
            except TrainingError as err:
                self.say("train.status_line.error", True, message=err.message)
                return
            if self.compare is not None and self.compare.path == path:
                self.compare = None
                self._redraw_comparison()
            if self.run is not None and self.run.path == path:  # nothing left to show
                self.run, self._following = None, None
                self._draw_run()
            self.say("train.delete.done", name=path.name)
            self.load_runs()

        self.app.push_screen(DeleteRunScreen(path), chosen)

    def action_compare(self) -> None:
        path = self.query_one(RunsTable).highlighted()
        if path is None:
            self.say("train.status_line.no_runs", error=True)
        elif self.compare is not None and self.compare.path == path:
            self.compare = None
            self._redraw_comparison()
            self.say("train.status_line.compare_off")
        elif self.run is not None and self.run.path == path:
            self.say("train.status_line.compare_self", error=True)
        else:
            self.load_compare(path)

    @work(thread=True, exclusive=True, group="compare")
    def load_compare(self, path: Path) -> None:
        snapshot = load_snapshot(path)
        self.app.call_from_thread(self._compare_loaded, snapshot)

    def _compare_loaded(self, snapshot: RunSnapshot) -> None:
        self.compare = snapshot
        self._redraw_comparison()
        self.say("train.status_line.compare_on", name=snapshot.name)

    def _redraw_comparison(self) -> None:
        self.query_one(ProgressView).show(self.run, self.compare)
        self.query_one(RunsTable).mark(self.run.path if self.run else None,
                                       self.compare.path if self.compare else None)

    # quitting ----------------------------------------------------------------------------------
    def live_runs(self) -> list[Path]:
        """Runs started or attached to in this app whose job is still running."""
        self._reap()
        return sorted(run for run in self.session_runs if live_pid(run) is not None)

    def confirm_quit(self) -> bool:
        """Called when the user quits: ask what to do with live jobs. True: the dialog took
        over (it quits the app itself); False: nothing to ask, quit now."""
        if isinstance(self.app.screen, QuitTrainingScreen):
            return True  # asked already
        runs = self.live_runs()
        if not runs:
            return False

        def chosen(choice: str | None) -> None:
            if choice == STOP:  # asked, not awaited: each job saves and ends by itself
                for run in runs:
                    request(run, "stop")
                self.app.exit(message=t("train.quit.stopped", runs=", ".join(map(str, runs))))
            elif choice == LEAVE:
                self.app.exit(message=t("train.quit.left", runs="\n".join(
                    f"convtui train --resume {run}" for run in runs)))

        self.app.push_screen(QuitTrainingScreen(runs), chosen)
        return True
