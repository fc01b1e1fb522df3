"""The combat core: B battles resolved from arrays in one numpy call, its pure-Python reference,
and the outcome preview.

The formula (DESIGN section 3). For each battle:
- the defenders' hardness H is their step-weighted mean hardness;
- attack A = sum over attackers of steps * modifier * (soft + (hard - soft) * H),
  times (1 + concentric_bonus * (hex sides attacked from - 1));
- defence D = sum over defenders of steps * modifier * defence, times the terrain's defence,
  the river bonus and (1 + entrenchment_bonus * entrenchment);
- the attacker's share of the strength q = A / (A + D);
- each side loses whole steps, each of its steps with chance max_loss * q for the defender and
  max_loss * (1 - q) for the attacker (`step_losses`: the binomial's mean and spread);
- the defender retreats with chance (q - retreat_from) / (retreat_certain - retreat_from),
  clipped to [0, 1], if any of it survives.
A participant's modifier (supply, experience, weather, charge) is worked out by the caller.

Randomness comes in as three numbers per battle, drawn by the caller from the game's generator
(`draw_battles`): a triangular variate in [-1, 1] for each side's losses and a uniform in [0, 1)
for the retreat. The core only scales and rounds them with + - * / and sqrt, which IEEE
arithmetic rounds the same way in numpy and in plain Python, so the reference gives the same
results bit for bit and serves as an exact oracle.

Steps in `Sides` are float64 (whole numbers), so the hot path never converts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from game.rules import CombatRules


@dataclass
class Sides:
    """Participants of many battles, flattened: participant i fights in battle `battle[i]`."""

    battle: np.ndarray  # int
    steps: np.ndarray  # float64, whole numbers
    soft: np.ndarray
    hard: np.ndarray
    defence: np.ndarray
    hardness: np.ndarray
    modifier: np.ndarray


@dataclass
class Battles:
    """Per-battle inputs: what the defended hex gives, and from how many sides it is attacked."""

    terrain_defence: np.ndarray
    river: np.ndarray  # bool: defender behind a river
    entrenchment: np.ndarray  # float64, whole numbers
    sides_attacked: np.ndarray  # float64, whole numbers 1..6

    def __len__(self) -> int:
        return len(self.terrain_defence)


@dataclass
class Outcome:
    """Per-battle results of `resolve_battles`."""

    attack: np.ndarray
    defence: np.ndarray
    share: np.ndarray  # q, the attacker's share of the strength
    attacker_losses: np.ndarray  # int steps
    defender_losses: np.ndarray
    retreat: np.ndarray  # bool
    retreat_chance: np.ndarray


SIDE_FIELDS = tuple(Sides.__dataclass_fields__)
BATTLE_FIELDS = tuple(Battles.__dataclass_fields__)


def concatenate(parts: list[Any]) -> Any:
    """Many `Sides` (or many `Battles`) as one, column by column, in order."""
    kind = type(parts[0])
    return kind(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in kind.__dataclass_fields__)
    )


def resolve_battles(
    attackers: Sides, defenders: Sides, battles: Battles, rules: CombatRules, draws: np.ndarray
) -> Outcome:
    """Resolve B battles at once; `draws` comes from `draw_battles`.

    Participants may come in any order; each battle's strengths are summed in the order its
    participants appear. Every battle needs at least one defending step."""
    b = len(battles)
    d_steps = defenders.steps
    d_total: np.ndarray = np.bincount(defenders.battle, weights=d_steps, minlength=b)
    weighted = d_steps * defenders.hardness
    d_hard: np.ndarray = np.bincount(defenders.battle, weights=weighted, minlength=b)
    if b and d_total.min() <= 0:
        raise ValueError("every battle needs at least one defending step")
    d_hard /= d_total  # the defenders' mean hardness
    per_step = attackers.hard - attackers.soft
    per_step *= np.take(d_hard, attackers.battle)
    per_step += attackers.soft
    a_steps = attackers.steps
    per_attacker = a_steps * attackers.modifier
    per_attacker *= per_step
    attack: np.ndarray = np.bincount(attackers.battle, weights=per_attacker, minlength=b)
    attack *= 1.0 + rules.concentric_bonus * (battles.sides_attacked - 1)
    np.multiply(d_steps, defenders.modifier, out=weighted)
    weighted *= defenders.defence
    defence: np.ndarray = np.bincount(defenders.battle, weights=weighted, minlength=b)
    defence *= battles.terrain_defence
    defence *= np.where(battles.river, rules.river_defence, 1.0)  # times 1.0 changes nothing
    defence *= 1.0 + rules.entrenchment_bonus * battles.entrenchment
    total = attack + defence
    weak = total <= 0  # no strength on either side: an even fight
    any_weak = bool(weak.any())
    if any_weak:
        total[weak] = 1.0
    share = attack / total
    if any_weak:
        share[weak] = 0.5
    a_total = np.bincount(attackers.battle, weights=a_steps, minlength=b)
    a_loss = step_losses(a_total, rules.max_loss * (1.0 - share), draws[:, 0])
    d_loss = step_losses(d_total, rules.max_loss * share, draws[:, 1])
    chance = _retreat_chance(share, rules)
    retreat = (draws[:, 2] < chance) & (d_loss < d_total)
    return Outcome(attack, defence, share, a_loss, d_loss, retreat, chance)


def _retreat_chance(share: np.ndarray, rules: CombatRules) -> np.ndarray:
    span = rules.retreat_certain - rules.retreat_from
    return np.minimum(np.maximum((share - rules.retreat_from) / span, 0.0), 1.0)


def draw_battles(rng: np.random.Generator, count: int) -> np.ndarray:
    """The random numbers of `count` battles, (count, 3): two triangular variates in [-1, 1]
    (mode 0) for the attacker's and the defender's losses, and a uniform for the retreat."""
    draws = np.empty((count, 3))
    draws[:, :2] = rng.triangular(-1.0, 0.0, 1.0, size=(count, 2))
    draws[:, 2] = rng.random(count)
    return draws


def step_losses(n: np.ndarray, p: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Whole steps lost out of n when each is lost with chance p, from a triangular variate t.

    The result has the binomial's mean n * p and variance n * p * (1 - p): t in [-1, 1] spread
    over a half-width of sqrt(6 * variance) around the mean, rounded to the nearest whole step
    (halves to even) and kept within 0..n. (Written in place: at these sizes the temporaries
    cost more than the arithmetic.)"""
    nf = np.asarray(n, dtype=np.float64)
    mean = nf * p
    x = 1.0 - p
    x *= mean
    x *= 6.0
    np.sqrt(x, out=x)  # the half-width
    x *= t
    x += mean
    np.rint(x, out=x)
    np.maximum(x, 0.0, out=x)
    np.minimum(x, nf, out=x)
    return x.astype(np.int64)


def chance_at_least(n: np.ndarray, p: np.ndarray, j: np.ndarray) -> np.ndarray:
    """P(step_losses >= j) exactly, for the preview (no draw)."""
    mean = n * p
    w = np.sqrt(n * p * (1.0 - p) * 6.0)
    z = np.divide(j - 0.5 - mean, w, out=np.where(j - 0.5 > mean, 1.0, -1.0), where=w > 0)
    z = np.clip(z, -1.0, 1.0)
    below = np.where(z < 0, (1.0 + z) ** 2 / 2.0, 1.0 - (1.0 - z) ** 2 / 2.0)
    return np.where(j <= 0, 1.0, np.where(j > n, 0.0, 1.0 - below))


# -- the pure-Python reference ------------------------------------------------------------------


def reference_step_losses(n: int, p: float, t: float) -> int:
    """The same draw as `step_losses`, for one side of one battle."""
    mean = n * p
    half_width = math.sqrt(n * p * (1.0 - p) * 6.0)
    k = round(half_width * t + mean)
    return min(max(k, 0), n)


def reference_battle(
    attackers: list[dict[str, float]],
    defenders: list[dict[str, float]],
    terrain_defence: float,
    river: bool,
    entrenchment: float,
    sides_attacked: int,
    rules: CombatRules,
    draws: tuple[float, float, float],
) -> tuple[float, float, float, int, int, bool]:
    """One battle in plain Python: (attack, defence, share, attacker losses, defender losses,
    retreat). Participants are dicts with steps, soft, hard, defence, hardness, modifier."""
    d_total = 0.0
    d_hard = 0.0
    for d in defenders:
        d_total = d_total + float(d["steps"])
        d_hard = d_hard + float(d["steps"]) * d["hardness"]
    if d_total <= 0:
        raise ValueError("every battle needs at least one defending step")
    h = d_hard / d_total
    attack = 0.0
    a_total = 0
    for a in attackers:
        per_step = a["soft"] + (a["hard"] - a["soft"]) * h
        attack = attack + float(a["steps"]) * a["modifier"] * per_step
        a_total += int(a["steps"])
    attack = attack * (1.0 + rules.concentric_bonus * (sides_attacked - 1))
    defence = 0.0
    for d in defenders:
        defence = defence + float(d["steps"]) * d["modifier"] * d["defence"]
    defence = defence * terrain_defence
    if river:
        defence = defence * rules.river_defence
    defence = defence * (1.0 + rules.entrenchment_bonus * entrenchment)
    total = attack + defence
    share = attack / total if total > 0 else 0.5
    a_loss = reference_step_losses(a_total, rules.max_loss * (1.0 - share), draws[0])
    d_loss = reference_step_losses(int(d_total), rules.max_loss * share, draws[1])
    span = rules.retreat_certain - rules.retreat_from
    chance = min(max((share - rules.retreat_from) / span, 0.0), 1.0)
    retreat = draws[2] < chance and d_loss < int(d_total)
    return attack, defence, share, a_loss, d_loss, retreat


# -- preview -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What the player sees before attacking: computed exactly, no dice rolled."""

    attack: float
    defence: float
    odds: float  # attack / defence
    attacker_losses: float  # expected steps
    defender_losses: float
    retreat_chance: float
    destroy_chance: float  # every defender step lost


def preview_battles(
    attackers: Sides, defenders: Sides, battles: Battles, rules: CombatRules
) -> list[Preview]:
    """Expected outcome of each battle; never touches any generator."""
    zero = np.zeros((len(battles), 3))
    out = resolve_battles(attackers, defenders, battles, rules, zero)
    b = len(battles)
    a_total = np.bincount(attackers.battle, weights=attackers.steps, minlength=b)
    d_total = np.bincount(defenders.battle, weights=defenders.steps, minlength=b)
    p_att = rules.max_loss * (1.0 - out.share)
    p_def = rules.max_loss * out.share
    a_exp = _expected(a_total, p_att)
    d_exp = _expected(d_total, p_def)
    wiped = chance_at_least(d_total, p_def, d_total)
    result = []
    for i in range(b):
        odds = float(out.attack[i] / out.defence[i]) if out.defence[i] > 0 else float("inf")
        result.append(
            Preview(
                attack=float(out.attack[i]),
                defence=float(out.defence[i]),
                odds=odds,
                attacker_losses=float(a_exp[i]),
                defender_losses=float(d_exp[i]),
                retreat_chance=float(out.retreat_chance[i] * (1.0 - wiped[i])),
                destroy_chance=float(wiped[i]),
            )
        )
    return result


def _expected(n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Expected step losses: the sum over j = 1..n of P(losses >= j)."""
    top = int(n.max(initial=0))
    j = np.arange(1, top + 1)[None, :]
    return chance_at_least(n[:, None], p[:, None], j).sum(axis=1)
