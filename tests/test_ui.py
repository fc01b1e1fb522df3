"""The game window, driven as a player drives it: synthetic mouse and key events under SDL's
dummy video driver, checked against the engine's state and the pixels on screen."""

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game import hexgrid  # noqa: E402
from game.commands import Attack, EndTurn, Land, Move  # noqa: E402
from game.engine import Engine  # noqa: E402
from game.scenario import load  # noqa: E402
from game.ui.app import App  # noqa: E402
from game.ui.camera import Camera  # noqa: E402
from game.ui.endscreen import EndScreen  # noqa: E402
from game.ui.gamescreen import GameScreen  # noqa: E402
from game.ui.menu import MenuScreen  # noqa: E402
from game.ui.session import Session  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ULAN_UDE = ROOT / "scenarios" / "ulan_ude_1939.yaml"


def start(players: dict[str, str], seed: int = 1) -> tuple[App, GameScreen]:
    app = App((1280, 800))
    scenario = load(ULAN_UDE)
    app.start_game(Session(Engine(scenario, seed=seed), players, seed))
    app.step()
    screen = app.current
    assert isinstance(screen, GameScreen)
    return app, screen


def click(app: App, pos, button: int = 1) -> None:
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=button, pos=pos))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=button, pos=pos))
    app.step()


def click_hex(app: App, gs: GameScreen, where, button: int = 1) -> None:
    click(app, tuple(int(v) for v in gs.camera.hex_centre(*where)), button)


def hover_hex(app: App, gs: GameScreen, where) -> tuple[int, int]:
    pos = tuple(int(v) for v in gs.camera.hex_centre(*where))
    pygame.mouse.set_pos(pos)
    motion = pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(0, 0, 0))
    pygame.event.post(motion)
    app.step()
    return pos


def press(app: App, key: int, mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode="", scancode=0))
    app.step()


def pixel(app: App, pos) -> tuple[int, int, int]:
    return tuple(app.screen.get_at((int(pos[0]), int(pos[1]))))[:3]


def own_unit(gs: GameScreen) -> int:
    st = gs.session.state
    return int(st.faction_units(int(st.active))[0])


def unit_hex(gs: GameScreen, uid: int) -> tuple[int, int]:
    u = gs.session.state.units
    return int(u.col[uid]), int(u.row[uid])


@pytest.fixture(autouse=True)
def _quit_pygame():
    yield
    pygame.quit()


def test_selecting_a_unit_lights_its_moves_and_a_click_moves_it():
    app, gs = start({"japan": "human"})
    uid = own_unit(gs)
    st = gs.session.state
    empty = [h for h in _moves_after_select(app, gs, uid) if not st.units_at(*h)]
    click_hex(app, gs, (0, 0), button=3)  # clear the selection
    target = max(empty)
    before = pixel(app, gs.camera.hex_centre(*target))
    click_hex(app, gs, unit_hex(gs, uid))
    assert gs.selection == [uid]
    assert pixel(app, gs.camera.hex_centre(*target)) != before  # the hex is lit
    click_hex(app, gs, target)
    assert gs.session.engine.log[-1] == Move(uid, target)
    assert unit_hex(gs, uid) == target


def _empty_moves(app, gs, uid):
    return [h for h in _moves_after_select(app, gs, uid) if not gs.session.state.units_at(*h)]


def _moves_after_select(app, gs, uid):
    click_hex(app, gs, unit_hex(gs, uid))
    assert gs.opts is not None and gs.opts.moves
    return list(gs.opts.moves)


def test_hovering_an_enemy_shows_the_preview_and_a_click_attacks():
    app, gs = start({"japan": "human"})
    st = gs.session.state
    ready = [int(i) for i in st.faction_units(int(st.active))]
    attacker, target = next(
        (uid, t)
        for uid in ready
        for t in _targets(app, gs, uid)
        if not st.rules.ut_air[st.units.type[uid]]
    )
    pos = hover_hex(app, gs, target)
    box = (pos[0] + 22, pos[1] + 22)  # inside the preview box beside the cursor
    assert pixel(app, box) == (20, 22, 28)
    log = len(gs.session.engine.log)
    click_hex(app, gs, target)
    cmd = gs.session.engine.log[log]
    assert isinstance(cmd, Attack) and attacker in cmd.attackers and cmd.target == target
    assert any(" attacks " in line.text for line in gs.session.log("japan"))


def _targets(app, gs, uid):
    click_hex(app, gs, unit_hex(gs, uid))
    return list(gs.opts.attacks) if gs.opts else []


def test_undo_takes_back_a_move_and_a_refused_undo_shows_the_reason():
    app, gs = start({"japan": "human"})
    uid = own_unit(gs)
    start_hex = unit_hex(gs, uid)
    before = gs.session.engine.state.state_hash()
    target = max(_empty_moves(app, gs, uid))
    click_hex(app, gs, target)
    assert unit_hex(gs, uid) == target
    press(app, pygame.K_u)
    assert unit_hex(gs, uid) == start_hex
    assert gs.session.engine.state.state_hash() == before
    press(app, pygame.K_z, pygame.KMOD_CTRL)  # nothing left to undo
    assert gs.flash[0] == gs.session.engine.undo_problem()
    assert gs.flash[0]


def test_ending_the_turn_lets_the_computer_play_and_hands_back():
    app, gs = start({"japan": "human"})
    press(app, pygame.K_RETURN)
    st = gs.session.state
    for _ in range(50):
        if st.turn == 2 and gs.session.human_to_move():
            break
        app.step()
    log = gs.session.engine.log
    assert isinstance(log[0], EndTurn)
    assert st.turn == 2 and int(st.active) == 0
    assert len(log) > 2  # the computer's factions gave orders and ended their turns


def only_the_handover_shows(app: App) -> bool:
    """Above and below the handover's band the screen is one dark colour: no map, no panel."""
    w, h = app.screen.get_size()
    dark = (14, 16, 20)
    top = pygame.transform.average_color(app.screen, (0, 0, w, h // 2 - 100))[:3]
    bottom = pygame.transform.average_color(app.screen, (0, h // 2 + 100, w, h // 2 - 100))[:3]
    return top == dark and bottom == dark


def test_hotseat_handover_hides_everything_until_the_next_player_takes_over():
    app, gs = start({"japan": "human", "russia": "human"})
    assert gs.session.needs_handover()
    app.step()
    assert only_the_handover_shows(app)
    press(app, pygame.K_RETURN)
    assert not gs.session.needs_handover()
    assert not only_the_handover_shows(app)
    target = max(_empty_moves(app, gs, own_unit(gs)))
    click_hex(app, gs, target)
    press(app, pygame.K_RETURN)  # Japan ends its turn: Russia's handover
    assert gs.session.needs_handover() and int(gs.session.state.active) == 1
    app.step()
    assert only_the_handover_shows(app)  # nothing of Japan's view is left
    assert not any(el.visible for el in (gs.info, gs.log_box))
    press(app, pygame.K_RETURN)
    assert gs.session.viewer() == "russia" and not only_the_handover_shows(app)


def test_the_menu_starts_a_game_and_the_game_menu_returns_to_it():
    app = App((1280, 800))
    app.main_menu()
    app.step()
    menu = app.current
    assert isinstance(menu, MenuScreen) and menu.chosen == "siberia_1939"  # the default campaign
    click(app, menu.start.rect.center)
    app.step()
    game = app.current
    assert isinstance(game, GameScreen) and game.sc.name.startswith("Kita ni Ike!")
    assert game.session.kinds == ["human"] + ["normal"] * 4  # "Computer, normal" by default
    assert game.popup is not None  # the campaign opens with its first events
    for _ in range(5):
        if game.popup is None:
            break
        press(app, pygame.K_ESCAPE)  # Esc dismisses each pop-up, then opens the game menu
    assert game.popup is None
    press(app, pygame.K_ESCAPE)
    assert game.menu is not None
    click(app, game.menu_buttons["resume"].rect.center)
    app.step()
    assert game.menu is None and app.current is game
    press(app, pygame.K_ESCAPE)
    click(app, game.menu_buttons["main"].rect.center)
    app.step()
    assert isinstance(app.current, MenuScreen)


def test_a_game_between_computers_plays_to_the_end_screen():
    app, gs = start({})
    app.frame_limit = 10**9  # one frame for each slide and flash: the game, not the animation
    for _ in range(200):
        if isinstance(app.current, EndScreen):
            break
        app.step()
    assert isinstance(app.current, EndScreen)
    assert gs.session.state.finished
    app.step()


def test_fog_hides_unseen_enemies_and_shows_last_seen_ones_faded():
    app, gs = start({"japan": "human"})
    st = gs.session.state
    seen = gs._seen
    assert seen is not None and not seen.all()
    drawn = {s.unit for s in gs.view.sprites(st, 0, seen, [])}
    enemies = [
        int(i) for i in range(len(st.units)) if st.units.alive[i] and st.units.faction[i] != 0
    ]
    hidden = [i for i in enemies if not seen[st.units.row[i], st.units.col[i]]]
    assert hidden and not set(hidden) & drawn


def test_the_camera_zooms_about_the_cursor():
    cam = Camera(60, 50, (0, 34, 950, 766))
    cam.centre_on(30, 25)
    point = (400, 300)
    under = cam.hex_at(*point)
    assert cam.zoom_at(1, *point)
    assert cam.hex_at(*point) == under
    assert cam.zoom_at(-2, *point)
    assert cam.hex_at(*point) == under


def test_play_draws_frames_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    args = ["play", "ulan_ude_1939", "--frames", "3", "--screenshot", str(shot)]
    result = subprocess.run(
        [sys.executable, "run_game.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(shot))
    assert image.get_size() == (1280, 800)


def test_f1_opens_the_help_and_the_supply_overlay_tints_the_map():
    from game.ui.describe import help_text

    app, gs = start({"japan": "human"})
    press(app, pygame.K_F1)
    assert gs.help is not None and "end your turn" in help_text()
    press(app, pygame.K_F1)
    assert gs.help is None
    st = gs.session.state
    vx, vy, vw, vh = gs.camera.view
    middle = gs.camera.hex_at(vx + vw // 2, vy + vh // 2)
    empty = next(h for h in hexgrid.spiral(*middle, 4) if not st.units_at(*h))
    spot = gs.camera.hex_centre(*empty)
    before = pixel(app, spot)
    press(app, pygame.K_s)  # a tap of S
    app.step()
    assert gs.view.show_supply and pixel(app, spot) != before


def test_resizing_the_window_lays_the_screen_out_again():
    app, gs = start({"japan": "human"})
    resize = pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=700, size=(1024, 700))
    pygame.event.post(resize)
    app.step()
    assert app.screen.get_size() == (1024, 700)
    assert gs.camera.view[2] == 1024 - gs.panel_rect().w and gs.panel_rect().right == 1024
    assert gs.buttons["end"].rect.right <= 1024


def test_troops_aboard_a_fleet_land_with_two_clicks(tmp_path):
    app = App((1280, 800))
    scenario = load(ROOT / "scenarios" / "siberia_1939.yaml")
    app.start_game(Session(Engine(scenario, seed=1), {"japan": "human"}, 1))
    gs = app.current
    app.step()
    gs.popup.kill()
    gs.popup = None
    st = gs.session.state
    fleet = next(int(i) for i in st.faction_units(0) if st.aboard(int(i)))
    rider = st.aboard(fleet)[0]
    gs.camera.centre_on(*unit_hex(gs, fleet))
    app.step()
    click_hex(app, gs, unit_hex(gs, fleet))
    click_hex(app, gs, unit_hex(gs, fleet))  # again: the troops aboard
    assert gs.selection == [rider] and gs.opts.landings
    shore = gs.opts.landings[-1]
    click_hex(app, gs, shore)
    assert gs.session.engine.log[-1] == Land(rider, shore)
    assert st.units.carrier[rider] == -1 and unit_hex(gs, rider) == shore


def test_a_game_saved_from_the_game_menu_loads_from_the_main_menu(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app, gs = start({"japan": "human"})
    target = max(_empty_moves(app, gs, own_unit(gs)))
    click_hex(app, gs, target)
    saved_hash = gs.session.engine.state.state_hash()
    press(app, pygame.K_ESCAPE)  # clears the selection
    press(app, pygame.K_ESCAPE)  # opens the game menu
    click(app, gs.menu_buttons["save"].rect.center)
    app.step()
    assert "Saved as" in gs.flash[0]
    saves = sorted(p.name for p in (tmp_path / "aether-front" / "saves").glob("*.json"))
    assert len(saves) == 2 and saves[0] == "autosave-ulan_ude_1939-turn01.json"
    press(app, pygame.K_ESCAPE)
    click(app, gs.menu_buttons["main"].rect.center)
    app.step()
    menu = app.current
    assert isinstance(menu, MenuScreen)
    click(app, menu.load.rect.center)
    app.step()
    assert menu.saves_list is not None
    first = menu.saves_list.item_list[0]
    assert "Ulan-Ude" in first["text"] and "turn 1" in first["text"]
    click(app, first["button_element"].rect.center)
    click(app, menu.saves_buttons["load"].rect.center)
    app.step()
    game = app.current
    assert isinstance(game, GameScreen)
    assert game.session.engine.state.state_hash() == saved_hash
    assert game.session.kinds[0] == "human"


def test_a_click_the_selection_cannot_obey_shows_the_engines_reason():
    app, gs = start({"japan": "human"})
    uid = own_unit(gs)
    click_hex(app, gs, unit_hex(gs, uid))
    far = max(
        ((c, r) for c in range(gs.sc.width) for r in range(gs.sc.height)),
        key=lambda h: hexgrid.distance(*h, *unit_hex(gs, uid)),
    )
    gs.camera.centre_on(*far)
    before = gs.session.engine.state.state_hash()
    click_hex(app, gs, far)
    assert gs.flash[0] == f"{gs.session.state.units.names[uid]} cannot reach {far} this turn"
    assert gs.session.engine.state.state_hash() == before and gs.selection == [uid]


def test_a_left_click_on_friends_selects_them_and_a_right_click_moves_onto_them():
    app, gs = start({"japan": "human"})
    st = gs.session.state
    uid, stack = next(
        (uid, h)
        for uid in (int(i) for i in st.faction_units(0))
        for h in _moves_after_select(app, gs, uid)
        if st.units_at(*h)
        and all(int(st.units.faction[i]) == 0 for i in st.units_at(*h))
        and not st.rules.ut_air[st.units.type[uid]]
    )
    click_hex(app, gs, stack)
    assert gs.selection and gs.selection[0] in st.units_at(*stack)  # selected, not moved
    click_hex(app, gs, unit_hex(gs, uid))
    click_hex(app, gs, stack, button=3)
    assert gs.session.engine.log[-1] == Move(uid, stack)
    click_hex(app, gs, (0, 0), button=3)  # nothing lit there: the selection is cleared
    assert gs.selection == []


def test_ctrl_click_gathers_a_stack_and_keys_wait_while_the_menu_is_open():
    app, gs = start({"japan": "human"})
    st = gs.session.state
    stack = next(
        h
        for h in {unit_hex(gs, int(i)) for i in st.faction_units(0)}
        if len([i for i in st.units_at(*h) if int(st.units.faction[i]) == 0]) >= 2
    )
    pygame.key.set_mods(pygame.KMOD_CTRL)
    click_hex(app, gs, stack)
    click_hex(app, gs, stack)
    pygame.key.set_mods(0)
    assert len(gs.selection) == 2 and all(unit_hex(gs, i) == stack for i in gs.selection)
    press(app, pygame.K_ESCAPE)  # clears the selection
    press(app, pygame.K_ESCAPE)  # the game menu
    press(app, pygame.K_RETURN)  # does not end the turn behind the menu
    assert gs.menu is not None and gs.session.engine.log == []
    press(app, pygame.K_ESCAPE)
    assert gs.menu is None


def test_without_a_display_play_says_so_instead_of_hanging():
    env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER", "DISPLAY")}
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "run_game.py", "play", "ulan_ude_1939"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot open the game window" in result.stderr and "Traceback" not in result.stderr


def test_the_preview_names_a_selected_unit_that_cannot_join_and_why():
    from game.ui.orders import options, preview

    engine = Engine(load(ULAN_UDE), seed=1)
    view = engine.view
    ours = [int(i) for i in view.faction_units(0) if not view.rules.ut_air[view.units.type[i]]]
    attacker, target = next((uid, t) for uid in ours for t in options(view, [uid], None).attacks)
    far = next(
        uid
        for uid in ours
        if hexgrid.distance(int(view.units.col[uid]), int(view.units.row[uid]), *target) > 1
    )
    opts = options(view, [attacker, far], None)
    lines = preview(view, opts, [attacker, far], target)
    assert lines[0].startswith("Attack with 1 unit:")
    assert any(line.startswith("Defenders: terrain x") for line in lines)
    assert lines[-1] == f"Not joining: {view.units.names[far]} is not next to {target}"


def test_the_game_saves_itself_each_turn_and_keeps_the_last_five(tmp_path, monkeypatch):
    from game.save import list_saves, load_game, save_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    session = Session(Engine(load(ULAN_UDE), seed=2), {"japan": "human"}, 2)
    st = session.engine.state
    hashes = {st.turn: st.state_hash()}
    while st.turn < 8:
        if session.human_to_move():
            session.submit(EndTurn())
        else:
            session.play_computer_turn()
        hashes.setdefault(st.turn, st.state_hash())
    autosaves = sorted(p.name for p in save_dir().glob("autosave-*.json"))
    assert autosaves == [f"autosave-ulan_ude_1939-turn{t:02d}.json" for t in range(4, 9)]
    for path in save_dir().glob("autosave-*.json"):
        engine, players = load_game(path)
        assert engine.state.state_hash() == hashes[engine.state.turn]
        assert players["japan"] == "human"
    assert {s.turn for s in list_saves()} == set(range(4, 9))


def test_an_autosave_that_fails_is_told_and_play_goes_on(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    app, gs = start({"japan": "human"})
    press(app, pygame.K_RETURN)  # Japan ends its turn; the computer plays Russia and the horde
    for _ in range(200):
        if gs.session.state.turn == 2 and gs.session.human_to_move():
            break
        app.step()
    assert gs.session.state.turn == 2
    app.step()
    assert "Autosave failed" in gs.flash[0]


def test_f5_quicksaves_and_f9_goes_back_to_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app, gs = start({"japan": "human"})
    press(app, pygame.K_F9)
    assert "No quicksave" in gs.flash[0]
    press(app, pygame.K_F5)
    assert "Quicksaved" in gs.flash[0]
    saved = gs.session.engine.state.state_hash()
    click_hex(app, gs, max(_empty_moves(app, gs, own_unit(gs))))
    assert gs.session.engine.state.state_hash() != saved
    press(app, pygame.K_F9)
    assert app.current is not gs and app.current.session.engine.state.state_hash() == saved


def test_a_hot_seat_game_loads_into_its_handover(tmp_path):
    from game.save import save_game

    session = Session(Engine(load(ULAN_UDE), seed=1), {"japan": "human", "russia": "human"}, 1)
    path = tmp_path / "hotseat.json"
    save_game(path, session.engine, session.players)
    loaded = Session.from_save(path)
    assert loaded.hotseat and loaded.needs_handover()


def test_a_loaded_game_autosaves_only_when_its_next_turn_begins(tmp_path, monkeypatch):
    from game.save import save_dir, save_game

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    def play_until(session: Session, turn: int) -> None:
        while session.engine.state.turn < turn:
            if session.human_to_move():
                session.submit(EndTurn())
            else:
                session.play_computer_turn()

    session = Session(Engine(load(ULAN_UDE), seed=1), {"japan": "human"}, 1, autosave=False)
    play_until(session, 2)
    path = tmp_path / "game.json"
    save_game(path, session.engine, session.players)
    loaded = Session.from_save(path)
    loaded.submit(EndTurn())  # Japan's turn 2 is over: no autosave yet
    assert not list(save_dir().glob("autosave-*.json"))
    play_until(loaded, 3)
    assert [p.name for p in save_dir().glob("autosave-*.json")] == [
        "autosave-ulan_ude_1939-turn03.json"
    ]


def test_a_saved_game_comes_back_with_each_sides_messages_and_waiting_popups(tmp_path):
    session = Session(Engine(load(ULAN_UDE), seed=1), {"japan": "human", "russia": "human"}, 1)
    while session.engine.state.turn < 3:  # the people end their turns; the horde rides
        if session.human_to_move():
            session.submit(EndTurn())
        else:
            session.play_computer_turn()
    told = {side: list(news.log) for side, news in session.news.items()}
    waiting = {side: list(news.popups) for side, news in session.news.items()}
    assert waiting["russia"]  # an event each side will be shown when its turn comes
    assert told["japan"] and told["russia"] and told["japan"] != told["russia"]
    path = tmp_path / "hotseat.json"
    session.save(path)
    loaded = Session.from_save(path)
    assert {side: news.log for side, news in loaded.news.items()} == told
    assert {side: news.popups for side, news in loaded.news.items()} == waiting
    assert loaded.needs_handover()  # and nobody sees the next player's map before the handover


@pytest.mark.parametrize(
    "junk",
    [
        None,
        "messages",
        [7, None],
        [{"side": ["japan"], "log": [], "popups": []}],
        [{"side": "japan", "log": [[1, "weather"]], "popups": [["only a title"]]}],
        [{"side": "japan", "log": [[float("inf"), "weather", "Clear"]], "popups": []}],
    ],
)
def test_damaged_messages_in_a_save_never_stop_it_loading(tmp_path, junk):
    import json

    session = Session(Engine(load(ULAN_UDE), seed=1), {"japan": "human"}, 1)
    path = tmp_path / "game.json"
    session.save(path)
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "logs": junk}))
    loaded = Session.from_save(path)
    assert loaded.engine.state.state_hash() == session.engine.state.state_hash()
    assert all(isinstance(line.text, str) for line in loaded.log("japan"))


def test_a_damaged_save_is_listed_as_damaged_and_loading_it_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = tmp_path / "aether-front" / "saves"
    folder.mkdir(parents=True)
    (folder / "evening.json").write_text('{"format": "aether-front save", "vers')
    app = App((1280, 800))
    app.main_menu()
    app.step()
    menu = app.current
    assert isinstance(menu, MenuScreen)
    click(app, menu.load.rect.center)
    app.step()
    assert menu.saves_list is not None
    first = menu.saves_list.item_list[0]
    assert "evening.json: damaged, cannot be loaded" in first["text"]
    click(app, first["button_element"].rect.center)
    click(app, menu.saves_buttons["load"].rect.center)
    app.step()
    assert app.current is menu and menu.message is not None
    assert "not a saved game" in menu.message.text_block.html_text


def test_the_window_loads_a_save_without_messages_from_its_snapshot(tmp_path, monkeypatch):
    from game.save import save_game

    engine = Engine(load(ULAN_UDE), seed=1)
    engine.submit(EndTurn())
    path = tmp_path / "simulated.json"
    save_game(path, engine, {})  # as `simulate --save` writes it: no messages

    def no_replays(self, cmd):
        raise AssertionError("a command was replayed")

    monkeypatch.setattr(Engine, "submit", no_replays)
    loaded = Session.from_save(path, {"japan": "human"})
    assert loaded.engine.state.state_hash() == engine.state.state_hash()
    assert loaded.engine.log == engine.log
