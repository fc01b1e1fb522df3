"""The combat core: B battles resolved from arrays in one numpy call, its pure-Python reference,
and the outcome preview.

The formula (DESIGN section 3). For each battle:
- the defenders' hardness H is their step-weighted mean hardness;
- attack A = sum over attackers of steps * (soft * (1 - H) + hard * H) * modifier,
  times (1 + concentric_bonus * (hex sides attacked from - 1));
- defence D = sum over defenders of steps * defence * modifier, times the terrain's defence,
  the river bonus and (1 + entrenchment_bonus * entrenchment);
- the attacker's share of the strength q = A / (A + D);
- each side loses whole steps: Binomial(defender steps, max_loss * q) for the defender,
  Binomial(attacker steps, max_loss * (1 - q)) for the attacker;
- the defender retreats with chance (q - retreat_from) / (retreat_certain - retreat_from),
  clipped to [0, 1], if any of it survives.
A participant's modifier (supply, experience, weather, charge) is worked out by the caller.

Randomness comes in as three uniforms per battle, drawn by the caller from the game's generator:
the binomials are inverse-CDF draws built from + - * / only, so numpy and plain Python give the
same bits and the reference is an exact oracle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.rules import CombatRules


@dataclass
class Sides:
    """Participants of many battles, flattened: participant i fights in battle `battle[i]`."""

    battle: np.ndarray  # int
    steps: np.ndarray  # int
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
    entrenchment: np.ndarray
    sides_attacked: np.ndarray  # int, 1..6

    def __len__(self) -> int:
        return len(self.terrain_defence)


@dataclass
class Outcome:
    attack: np.ndarray
    defence: np.ndarray
    share: np.ndarray  # q, the attacker's share of the strength
    attacker_losses: np.ndarray  # int steps
    defender_losses: np.ndarray
    retreat: np.ndarray  # bool
    retreat_chance: np.ndarray


def resolve_battles(
    attackers: Sides, defenders: Sides, battles: Battles, rules: CombatRules, draws: np.ndarray
) -> Outcome:
    """Resolve B battles at once; `draws` is (B, 3) uniforms in [0, 1)."""
    b = len(battles)
    d_steps = defenders.steps.astype(np.float64)
    d_total = np.bincount(defenders.battle, weights=d_steps, minlength=b)
    d_hard = np.bincount(defenders.battle, weights=d_steps * defenders.hardness, minlength=b)
    hardness = np.divide(d_hard, d_total, out=np.zeros(b), where=d_total > 0)
    h = hardness[attackers.battle]
    a_steps = attackers.steps.astype(np.float64)
    per_attacker = a_steps * (attackers.soft * (1.0 - h) + attackers.hard * h) * attackers.modifier
    attack: np.ndarray = np.bincount(attackers.battle, weights=per_attacker, minlength=b)
    attack = attack * (1.0 + rules.concentric_bonus * (battles.sides_attacked - 1))
    per_defender = d_steps * defenders.defence * defenders.modifier
    defence = np.bincount(defenders.battle, weights=per_defender, minlength=b)
    defence = defence * battles.terrain_defence
    defence = np.where(battles.river, defence * rules.river_defence, defence)
    defence = defence * (1.0 + rules.entrenchment_bonus * battles.entrenchment)
    total = attack + defence
    share = np.divide(attack, total, out=np.full(b, 0.5), where=total > 0)
    a_total = np.bincount(attackers.battle, weights=a_steps, minlength=b).astype(np.int64)
    d_count = d_total.astype(np.int64)
    a_loss = binomial_from_uniform(a_total, rules.max_loss * (1.0 - share), draws[:, 0])
    d_loss = binomial_from_uniform(d_count, rules.max_loss * share, draws[:, 1])
    chance = _retreat_chance(share, rules)
    retreat = (draws[:, 2] < chance) & (d_loss < d_count)
    return Outcome(attack, defence, share, a_loss, d_loss, retreat, chance)


def _retreat_chance(share: np.ndarray, rules: CombatRules) -> np.ndarray:
    span = rules.retreat_certain - rules.retreat_from
    return np.minimum(np.maximum((share - rules.retreat_from) / span, 0.0), 1.0)


def binomial_from_uniform(n: np.ndarray, p: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF Binomial(n, p) draws: the smallest k with P(X <= k) >= u. Needs 0 <= p < 1."""
    n = np.asarray(n, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    k = np.zeros(len(n), dtype=np.int64)
    pmf = np.ones(len(n))
    for i in range(int(n.max(initial=0))):
        pmf = np.where(i < n, pmf * (1.0 - p), pmf)
    cdf = pmf.copy()
    live = np.flatnonzero((u > cdf) & (k < n))
    while len(live):
        kk, nn, pp = k[live], n[live], p[live]
        nxt = pmf[live] * (nn - kk) / (kk + 1) * pp / (1.0 - pp)
        pmf[live] = nxt
        cdf[live] = cdf[live] + nxt
        k[live] = kk + 1
        live = live[(u[live] > cdf[live]) & (k[live] < n[live])]
    return k


# -- the pure-Python reference ------------------------------------------------------------------


def reference_binomial(n: int, p: float, u: float) -> int:
    """The same inverse-CDF draw as `binomial_from_uniform`, one battle at a time."""
    pmf = 1.0
    for _ in range(n):
        pmf = pmf * (1.0 - p)
    cdf = pmf
    k = 0
    while u > cdf and k < n:
        pmf = pmf * (n - k) / (k + 1) * p / (1.0 - p)
        cdf = cdf + pmf
        k += 1
    return k


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
    h = d_hard / d_total if d_total > 0 else 0.0
    attack = 0.0
    a_total = 0
    for a in attackers:
        attack = (
            attack + float(a["steps"]) * (a["soft"] * (1.0 - h) + a["hard"] * h) * a["modifier"]
        )
        a_total += int(a["steps"])
    attack = attack * (1.0 + rules.concentric_bonus * (sides_attacked - 1))
    defence = 0.0
    for d in defenders:
        defence = defence + float(d["steps"]) * d["defence"] * d["modifier"]
    defence = defence * terrain_defence
    if river:
        defence = defence * rules.river_defence
    defence = defence * (1.0 + rules.entrenchment_bonus * entrenchment)
    total = attack + defence
    share = attack / total if total > 0 else 0.5
    a_loss = reference_binomial(a_total, rules.max_loss * (1.0 - share), draws[0])
    d_loss = reference_binomial(int(d_total), rules.max_loss * share, draws[1])
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
    p_def = rules.max_loss * out.share
    wiped = p_def**d_total
    result = []
    for i in range(b):
        odds = float(out.attack[i] / out.defence[i]) if out.defence[i] > 0 else float("inf")
        result.append(
            Preview(
                attack=float(out.attack[i]),
                defence=float(out.defence[i]),
                odds=odds,
                attacker_losses=float(a_total[i] * rules.max_loss * (1.0 - out.share[i])),
                defender_losses=float(d_total[i] * p_def[i]),
                retreat_chance=float(out.retreat_chance[i] * (1.0 - wiped[i])),
                destroy_chance=float(wiped[i]),
            )
        )
    return result
