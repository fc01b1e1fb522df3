"""The vectorized combat core against its pure-Python reference, and the formula's effects."""

import numpy as np
import pytest

from game import bench, combat

RULES = bench.BENCH_RULES


def outcome_rows(out: combat.Outcome) -> list[tuple]:
    return [
        (
            float(out.attack[i]),
            float(out.defence[i]),
            float(out.share[i]),
            int(out.attacker_losses[i]),
            int(out.defender_losses[i]),
            bool(out.retreat[i]),
        )
        for i in range(len(out.attack))
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorized_core_equals_reference_bit_for_bit(seed):
    att, dfn, battles = bench.random_battles(3000, seed=seed)
    draws = combat.draw_battles(np.random.default_rng(seed), 3000)
    out = combat.resolve_battles(att, dfn, battles, RULES, draws)
    ref = bench.run_reference(bench.prepare_reference(att, dfn, battles, draws), RULES)
    assert outcome_rows(out) == [tuple(r) for r in ref]
    assert out.attacker_losses.sum() > 0 and out.retreat.any() and not out.retreat.all()


def test_interleaved_battles_give_the_same_results():
    att, dfn, battles = bench.random_battles(2000, seed=9)
    draws = combat.draw_battles(np.random.default_rng(9), 2000)
    whole = outcome_rows(combat.resolve_battles(att, dfn, battles, RULES, draws))
    # participants of different battles interleaved, each battle's own in their order
    block_key = np.random.default_rng(0).permutation(2000)[att.battle]
    order = np.argsort(block_key, kind="stable")
    shuffled = combat.Sides(*(getattr(att, f)[order] for f in combat.SIDE_FIELDS))
    assert outcome_rows(combat.resolve_battles(shuffled, dfn, battles, RULES, draws)) == whole


def one_battle(
    att_steps=6,
    soft=4.0,
    hard=1.0,
    def_steps=6,
    defence=5.0,
    hardness=0.0,
    terrain=1.0,
    river=False,
    dig=0,
    sides=1,
):
    def side(steps, s, h, d, hn):
        return combat.Sides(
            np.array([0]),
            np.array([float(steps)]),
            np.array([s]),
            np.array([h]),
            np.array([d]),
            np.array([hn]),
            np.array([1.0]),
        )

    return (
        side(att_steps, soft, hard, 1.0, 0.0),
        side(def_steps, 0.0, 0.0, defence, hardness),
        combat.Battles(
            np.array([terrain]), np.array([river]), np.array([float(dig)]), np.array([float(sides)])
        ),
    )


def odds(**kw) -> float:
    att, dfn, battles = one_battle(**kw)
    return combat.preview_battles(att, dfn, battles, RULES)[0].odds


def test_modifiers_move_the_odds_the_right_way():
    base = odds()
    assert odds(river=True) == pytest.approx(base / RULES.river_defence)
    assert odds(dig=2) == pytest.approx(base / (1 + 2 * RULES.entrenchment_bonus))
    assert odds(sides=3) == pytest.approx(base * (1 + 2 * RULES.concentric_bonus))
    assert odds(terrain=1.8) == pytest.approx(base / 1.8)


def test_hardness_picks_hard_or_soft_attack():
    soft_target = odds(soft=6.0, hard=1.0, hardness=0.0)
    hard_target = odds(soft=6.0, hard=1.0, hardness=1.0)
    assert soft_target == pytest.approx(6 * 6 / (6 * 5))
    assert hard_target == pytest.approx(6 * 1 / (6 * 5))


def test_step_losses_have_the_binomial_mean_and_variance():
    n = np.full(100_000, 8)
    p = np.full(100_000, 0.3)
    k = combat.step_losses(n, p, np.random.default_rng(5).triangular(-1, 0, 1, 100_000))
    assert k.min() >= 0 and k.max() <= 8
    assert k.mean() == pytest.approx(8 * 0.3, abs=0.05)
    assert k.var() == pytest.approx(8 * 0.3 * 0.7, rel=0.1)


def test_preview_expectations_match_sampling():
    att, dfn, battles = one_battle(att_steps=9, def_steps=5, soft=6.0)
    preview = combat.preview_battles(att, dfn, battles, RULES)[0]
    draws = combat.draw_battles(np.random.default_rng(3), 20_000)
    many = combat.Sides(*(np.repeat(getattr(att, f), 20_000) for f in combat.SIDE_FIELDS))
    many.battle = np.arange(20_000)
    foes = combat.Sides(*(np.repeat(getattr(dfn, f), 20_000) for f in combat.SIDE_FIELDS))
    foes.battle = np.arange(20_000)
    rep = combat.Battles(*(np.repeat(getattr(battles, f), 20_000) for f in combat.BATTLE_FIELDS))
    out = combat.resolve_battles(many, foes, rep, RULES, draws)
    assert out.attacker_losses.mean() == pytest.approx(preview.attacker_losses, abs=0.05)
    assert out.defender_losses.mean() == pytest.approx(preview.defender_losses, abs=0.05)
    assert out.retreat.mean() == pytest.approx(preview.retreat_chance, abs=0.02)


def test_a_battle_without_defenders_is_refused():
    att, dfn, battles = one_battle()
    dfn.steps[:] = 0
    with pytest.raises(ValueError):
        combat.resolve_battles(att, dfn, battles, RULES, np.zeros((1, 3)))


def test_a_battle_without_any_strength_is_an_even_fight():
    att, dfn, battles = one_battle(soft=0.0, hard=0.0, defence=0.0)
    out = combat.resolve_battles(att, dfn, battles, RULES, np.full((1, 3), 0.5))
    assert out.share[0] == 0.5 and out.attack[0] == 0.0
    assert (
        combat.reference_battle(
            [
                {
                    "steps": 6,
                    "soft": 0.0,
                    "hard": 0.0,
                    "defence": 1.0,
                    "hardness": 0.0,
                    "modifier": 1.0,
                }
            ],
            [
                {
                    "steps": 6,
                    "soft": 0.0,
                    "hard": 0.0,
                    "defence": 0.0,
                    "hardness": 0.0,
                    "modifier": 1.0,
                }
            ],
            1.0,
            False,
            0,
            1,
            RULES,
            (0.5, 0.5, 0.5),
        )[2]
        == 0.5
    )
