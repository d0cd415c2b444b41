"""Train: a CNN trained on MNIST in a background process, followed live.

The job writes its event log; a thread worker tails it and posts the run as it stands
(``RunUpdated``, which coalesces), so the panel draws at most the newest one however fast the
job logs, and keeps following while the user is in other panels. What the network learned is
computed from its checkpoints in another worker (the only place this panel imports torch).
Workers tell the panel what they found only by posting messages (``messages``).
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from convtui.i18n import plural_key, t
from convtui.i18n.wording import Phrase
from convtui.training.config import TrainConfig
from convtui.training.errors import TrainingError
from convtui.training.events import EVENTS_FILE, EventTail
from convtui.training.export import export_table, hparam_row, run_record
from convtui.training.job import Job
from convtui.training.launch import RunRequest, continue_run, start_new
from convtui.training.preflight import check_environment, measured_throughput
from convtui.training.resume import PANEL_WORDS, resumed_config
from convtui.training.run import ACTIVE, Run, delete_run, list_runs, read_run
from convtui.training.runs import live_job, request, runs_root
from convtui.ui.panel.messages import OpenInStepper, QuitGuard
from convtui.ui.panel.screen import PanelScreen
from convtui.ui.panel.worded import Worded
from convtui.ui.train.confirm import DeleteRunScreen, ExportRunsScreen, StartRunScreen
from convtui.ui.train.form import FormError, RunForm
from convtui.ui.train.hparams import HParamsTable
from convtui.ui.train.learned import LEARNED_TABS, LearnedView
from convtui.ui.train.messages import (
    CompareLoaded,
    DigitReady,
    JobStarted,
    LearnedFailed,
    LearnedReady,
    RunsLoaded,
    RunToFollow,
    RunUpdated,
    StartChecked,
    StartFailed,
    StatusSaid,
)
from convtui.ui.train.progress import ProgressView
from convtui.ui.train.quit import LEAVE, STOP, QuitTrainingScreen
from convtui.ui.train.runs import RunsTable
from convtui.ui.widgets.montage import Montage

if TYPE_CHECKING:  # insight imports torch: only the workers that compute import it
    from convtui.training.insight import Learned, Prediction

#: Seconds a message about a run stays up before a change of the run's status clears it.
MIN_SHOWN_S = 2.0
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
#: What each request to a job asks: the statuses of the open run it is for, and what the status
#: line says once it is asked (pause, resume, stop).
REQUESTS = {"pause": (("running",), "train.status_line.pause_asked"),
            "resume": (("paused",), "train.status_line.resume_asked"),
            "stop": (ACTIVE, "train.status_line.stop_asked")}


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
        self.run: Run | None = None  # the open run, as last drawn
        self.compare: Run | None = None
        self.jobs: dict[Path, Job] = {}  # jobs this panel started (reaped when they exit)
        self.session_runs: set[Path] = set()  # runs started or attached to in this app
        self._learned_key: tuple[Path, int] | None = None  # checkpoint the view shows/computes
        # (run, status) while the status line speaks of that run in that status: a message
        # such as "Resume asked" is no longer true once the run's status changes
        self._status_holds: tuple[Path, str] | None = None
        self._said_at = 0.0  # when the status line last changed (time.monotonic)
        self._following: Path | None = None  # the run whose log the tail worker reads
        self._field_error = False  # the form shows a field's error (re-said on F2)
        self._stale = False  # the run changed while the panel was hidden

    # layout ------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        launch = self.launch
        with TabbedContent(id="train-tabs", initial="new"):
            with TabPane("", id="new"), VerticalScroll(id="new-scroll"):
                yield RunForm(self._initial_config(), None if launch.resume else launch.run_dir)
            with TabPane("", id="progress"):
                yield ProgressView()
            with TabPane("", id="learned"):
                yield LearnedView()
            with TabPane("", id="runs"):
                yield Static(id="runs-hint")
                yield RunsTable()
                yield HParamsTable()
        yield Worded(Phrase("train.status_line.ready"), id="status")

    def _initial_config(self) -> TrainConfig:
        """The command line's options over the defaults (bad ones were refused by argparse).
        Options given with --resume are for that run: a new run starts from the defaults."""
        if self.launch.resume:
            return TrainConfig()
        return TrainConfig(**self.launch.train_options)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.post_message(QuitGuard(self.confirm_quit))
        self.relabel()
        self.query_one(ProgressView).show(None, None)
        if resume := self.launch.resume:
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

    def say(self, key: str, error: bool = False, *, holds_while: tuple[Path, str] | None = None,
            **params: Any) -> None:
        """Put a message on the status line (kept as a key, so F2 translates it).
        ``holds_while`` (run, status): the message is about that run in that status, and is
        cleared when the run's status changes (not before it has been up MIN_SHOWN_S)."""
        self._status_holds = holds_while
        self._said_at = time.monotonic()
        self.query_one("#status", Worded).say(Phrase(key, params), error)

    def on_status_said(self, message: StatusSaid) -> None:
        self.say(message.key, message.error, holds_while=message.holds_while, **message.params)

    def _clear_stale_status(self, run: Run) -> None:
        holds = self._status_holds
        if holds is None or holds[0] != run.path or holds[1] == run.status:
            return
        wait = MIN_SHOWN_S - (time.monotonic() - self._said_at)
        if wait > 0:  # a job can act on a request in a blink: let the request be read first
            self.set_timer(wait, lambda: self._clear_if_still(holds))
        else:
            self.say("train.status_line.ready")

    def _clear_if_still(self, holds: tuple[Path, str]) -> None:
        if self._status_holds == holds and self.run is not None:
            self._clear_stale_status(self.run)

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
        if action in REQUESTS:
            return tab in ("progress", "learned") and run is not None \
                and run.status in REQUESTS[action][0]
        if action == "continue_run":
            return tab in ("progress", "learned") and run is not None and run.can_continue
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
            self.post_message(StatusSaid(
                "train.progress.downloading", file=name, done=f"{done / 1e6:.1f}",
                total=f"{total / 1e6:.1f}" if total else "?"))

        try:
            sizes = check_environment(run.config, progress)
        except TrainingError as err:
            self.post_message(StartFailed(err.message))
            return
        speed = measured_throughput(run.config, list_runs())
        self.post_message(StartChecked(run, sizes, speed))

    def on_start_checked(self, message: StartChecked) -> None:
        run = message.run

        def chosen(start: bool | None) -> None:
            if start:
                self.say("train.status_line.starting")
                self.start_job(run)
            else:
                self.say("train.start.cancelled")

        self.say("train.start.asking")
        self.app.push_screen(StartRunScreen(run.config, message.sizes, message.speed), chosen)

    @work(thread=True, exclusive=True, group="start")
    def start_job(self, run: RunRequest) -> None:
        try:
            job = start_new(run)
        except TrainingError as err:
            self.post_message(StartFailed(err.message))
            return
        self.post_message(JobStarted(job))

    def on_start_failed(self, message: StartFailed) -> None:
        self._field_error = False
        self.query_one(RunForm).show_error(message.message)
        self._activate("new")
        self.say("train.status_line.not_started", error=True)

    def on_job_started(self, message: JobStarted) -> None:
        job = message.job
        self.jobs[job.run_dir] = job
        self.attach(job.run_dir)
        self.say("train.status_line.started", name=job.run_dir.name, pid=job.pid,
                 holds_while=(job.run_dir, "running"))

    def show_preset(self, preset: str) -> None:
        """``tiny``: the form set for a run of the tiny model that takes seconds (not started:
        the user presses Start)."""
        if preset not in self.PRESETS:
            super().show_preset(preset)
        self.query_one(RunForm).fill(TrainConfig(
            model="tiny", epochs=1, limit_train=TOUR_LIMIT_TRAIN, limit_test=TOUR_LIMIT_TEST,
            log_every=TOUR_LOG_EVERY, seed=0, data_dir=self.launch.data_dir))
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
        if live_job(run_dir) is not None:
            self.session_runs.add(run_dir)
        self.follow(run_dir)
        self._activate("progress")
        self.set_focus(None)
        self.query_one(RunsTable).mark(run_dir, self.compare.path if self.compare else None)

    def on_run_to_follow(self, message: RunToFollow) -> None:
        self.attach(message.path)

    @work(thread=True, exclusive=True, group="tail")
    def follow(self, run_dir: Path) -> None:
        """Tail the log until the run has no job left, posting the run on every change."""
        worker = get_current_worker()
        tail = EventTail(run_dir / EVENTS_FILE)
        shown: tuple[int, str, int | None] | None = None
        posted = 0.0
        while not worker.is_cancelled:
            self._reap()
            tail.poll()
            run = read_run(run_dir, tail.history)
            if not run.active:  # the job has gone: its last words are in the log now
                tail.poll()
                run = read_run(run_dir, tail.history)
            state = (tail.offset, run.status, run.pid)
            # A new status at once; new progress at most every REDRAW_S (a person reading
            # charts needs no more, and the job gets the CPU).
            if shown is None or state[1:] != shown[1:] or (
                    state != shown and time.monotonic() - posted >= REDRAW_S):
                shown, posted = state, time.monotonic()
                self.post_message(RunUpdated(run))
            if not run.active:
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

    def on_run_updated(self, message: RunUpdated) -> None:
        run = message.run
        if run.path != self._following:
            return  # posted before the user opened another run
        before = self.run.status if self.run is not None else None
        previous = self.run if self.run is not None and self.run.path == run.path else None
        self.run = run
        self._clear_stale_status(run)
        self._say_damage(run, previous)
        if run.active:
            self.session_runs.add(run.path)
        if not self.is_current:  # drawn when the user comes back (on_screen_resume)
            self._stale = True
            return
        self._draw_run(status_changed=run.status != before)

    def _say_damage(self, run: Run, previous: Run | None) -> None:
        """A deleted folder or lost lines of the log are said once each: the screen keeps
        what was read, and the user learns why nothing more comes."""
        if run.gone:
            if previous is None or not previous.gone:
                self.say("train.status_line.run_gone", error=True, name=run.name)
        elif run.lost_lines > (previous.lost_lines if previous is not None else 0):
            self.say("train.status_line.log_damaged", error=True, name=run.name,
                     count=run.lost_lines)

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
    def _ask_job(self, action: str) -> None:
        """Ask the open run's job to pause, resume or stop, if the run's status allows it
        (see REQUESTS); the job acts between batches, and the status line says it was asked
        until the run's status changes."""
        run = self.run
        statuses, said = REQUESTS[action]
        if run is not None and run.status in statuses:
            request(run.path, action)
            self.say(said, name=run.name, holds_while=(run.path, run.status))

    def action_pause(self) -> None:
        self._ask_job("pause")

    def action_resume(self) -> None:
        self._ask_job("resume")

    def action_continue_run(self) -> None:
        """Continue a run that ended early from its last checkpoint."""
        run = self.run
        if run is not None and run.can_continue:
            self.say("train.status_line.continuing", name=run.name,
                     holds_while=(run.path, run.status))
            self.continue_job(run.path)

    def action_stop(self) -> None:
        self._ask_job("stop")

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
    def continue_job(self, run_dir: Path) -> None:
        """Train the open run further, as it was set up."""
        self._continue(run_dir, None)

    @work(thread=True, exclusive=True, group="start")
    def resume_from_command_line(self, run_dir: Path) -> None:
        """`convtui train --resume RUN_DIR`: follow the run if a job is on it, else continue it
        (with the changes the options ask for: changes it refuses are said, the run not
        opened)."""
        try:
            run = read_run(run_dir)
            if run.active:
                self.post_message(RunToFollow(run_dir))
                self.post_message(StatusSaid("train.status_line.attached", name=run_dir.name,
                                             pid=run.pid, holds_while=(run_dir, run.status)))
                return
            config = resumed_config(run_dir, self.launch.train_options, PANEL_WORDS)
        except TrainingError as err:
            self.post_message(StatusSaid("train.status_line.error", True, message=err.message))
            return
        self._continue(run_dir, config)

    def _continue(self, run_dir: Path, config: TrainConfig | None) -> None:
        """(In a worker.) Start a job that trains ``run_dir`` further with ``config`` (default:
        its own); when none starts, say why and open the run as it is."""
        try:
            job = continue_run(run_dir, config)
        except TrainingError as err:
            said = StatusSaid("train.status_line.error", True, message=err.message)
        else:
            if job is not None:
                self.post_message(JobStarted(job))
                return
            said = StatusSaid("train.status_line.already_finished", name=run_dir.name,
                              holds_while=(run_dir, "finished"))
        self.post_message(said)
        self.post_message(RunToFollow(run_dir))

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
            from convtui.training.insight import compute_digit, compute_learned

            learned = compute_learned(run_dir)
            guesses = learned.report.predictions
            digit = compute_digit(learned, guesses[min(guess_index, len(guesses) - 1)])
        except TrainingError as err:
            self.post_message(LearnedFailed(err.message))
            return
        except ImportError as err:
            self.post_message(LearnedFailed(str(err)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(LearnedReady(learned, digit))

    def on_learned_failed(self, message: LearnedFailed) -> None:
        self._learned_key = None
        self.query_one(LearnedView).clear("train.learned.failed", message=message.message)

    async def on_learned_ready(self, message: LearnedReady) -> None:
        if self.run is None or message.learned.run_dir != self.run.path:
            return
        view = self.query_one(LearnedView)
        view.show_learned(message.learned)
        await view.show_digit(message.digit)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="digit")
    def look_at(self, learned: Learned, guess: Prediction) -> None:
        from convtui.training.insight import compute_digit

        digit = compute_digit(learned, guess)
        if not get_current_worker().is_cancelled:
            self.post_message(DigitReady(digit))

    async def on_digit_ready(self, message: DigitReady) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            await view.show_digit(message.digit)

    def action_filter(self, delta: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            view.select_filter(view.filter_index + delta)

    def action_digit(self, delta: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is not None:
            self.choose_guess((view.guess_index + delta) % len(view.learned.report.predictions))

    def choose_guess(self, index: int) -> None:
        view = self.query_one(LearnedView)
        if view.learned is None:
            return
        view.guess_index = index
        montage = view.query_one("#guesses", Montage)
        montage.set_reactive(Montage.selected, index)
        montage.refresh()
        self.look_at(view.learned, view.learned.report.predictions[index])

    @on(Montage.Selected, "#filter-bank")
    def filter_clicked(self, event: Montage.Selected) -> None:
        self.query_one(LearnedView).select_filter(event.index)

    @on(Montage.Selected, "#guesses")
    def guess_clicked(self, event: Montage.Selected) -> None:
        self.choose_guess(event.index)

    @on(Button.Pressed, "#to-stepper")
    async def stepper_pressed(self) -> None:
        await self.action_open_in_stepper()

    def action_open_in_stepper(self) -> None:
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
        self.post_message(OpenInStepper(image, kernel, label, normalised=True))

    # runs --------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="runs")
    def load_runs(self) -> None:
        runs = list_runs()
        extra = [self.run.path] if self.run is not None else []
        known = {run.path for run in runs}
        runs += [read_run(path) for path in extra if path not in known]
        rows = []
        for run in runs:
            with contextlib.suppress(TrainingError):  # a broken config: listed, not tabled
                rows.append(hparam_row(run_record(run)))
        if not get_current_worker().is_cancelled:
            self.post_message(RunsLoaded(runs, rows))

    def on_runs_loaded(self, message: RunsLoaded) -> None:
        self.query_one(RunsTable).show(message.runs, self.run.path if self.run else None,
                                       self.compare.path if self.compare else None)
        self.query_one(HParamsTable).show(message.rows)

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
            self.post_message(StatusSaid("train.export.failed", True, message=err.message))
            return
        self.post_message(StatusSaid(plural_key("training.export.written", count), count=count,
                                     path=str(path)))

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
        self.post_message(CompareLoaded(read_run(path)))

    def on_compare_loaded(self, message: CompareLoaded) -> None:
        self.compare = message.run
        self._redraw_comparison()
        self.say("train.status_line.compare_on", name=message.run.name)

    def _redraw_comparison(self) -> None:
        self.query_one(ProgressView).show(self.run, self.compare)
        self.query_one(RunsTable).mark(self.run.path if self.run else None,
                                       self.compare.path if self.compare else None)

    # quitting ----------------------------------------------------------------------------------
    def live_runs(self) -> list[Path]:
        """Runs started or attached to in this app whose job is still running."""
        self._reap()
        return sorted(run for run in self.session_runs if live_job(run) is not None)

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
