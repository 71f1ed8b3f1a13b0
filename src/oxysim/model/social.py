"""Social cognition: salience, affiliation, biased reading of expressions, trust, groups (S4, S2.8).

Oxytocin's action on a brain region is the bound-receptor signal ``s`` of the receptor sub-model
(``oxtr_signal_*``, lowered by a central antagonist), passed through one saturating gain

``A = s (1 + K) / (s + K)``  (1 at the reference signal, 0 without oxytocin),

and every behaviour it modulates scales by ``M(g) = 1 + g (A - 1)`` with its own gain g <= 1.
The amygdala action sets social salience, the dispositional bias and trust (betrayal aversion);
the NAc/VTA action sets affiliative motivation and in-group favouritism. Because the receptor
signal carries the rs53576 genotype (OXTR expression), the intranasal dose (CSF oxytocin) and the
antagonist, their effects on behaviour all arise from this one path.

* Salience (S4.1): ``salience = M(g_sal)``; detection latency = baseline / salience; face
  recognition odds = baseline odds x salience (rs53576 differences, small; S2.8).
* Affiliative motivation (S4.2) = baseline x ``M(g_aff)`` (NAc/VTA).
* Dispositions amplified (S4.3): attachment gives a reading bias
  ``D = w_anx (anx0 - anxiety) + w_avo (avo0 - avoidance)``: positive (prosocial) in secure
  subjects, negative (threat, rejection) in anxious ones; oxytocin amplifies it:
  ``bias = D x M(g_amp)``. A wholly ambiguous cue (a neutral face, a mixed memory such as
  recalled maternal care) is read as ``bias``.
* The expression loop (S4.4): the other person's displayed expression P (valence -1..1) is read
  as ``perceived = P + (1 - |P|) bias`` (an unclear expression is filled in by the bias), and
  answered by ``reply = k x perceived``. While an expression is shown (valence v, formation f),
  the formed part stays and the unformed part mirrors the reply:
  ``dP/dt = (f v + (1 - f) reply - P) / tau``; P relaxes to 0 when nothing is shown. A scowl
  answered to a beginning smile turns it into a scowl; a smile answered makes it a real smile.
* Trust (S4.2, S4.6): the fraction of an endowment invested is ``base x (1 + presence (M(g_tr)
  - 1))``: oxytocin acts on the social (betrayal-aversion) part only, so a risk game without a
  partner is unaffected; the gain is small, after the replications (Nave 2015; Declerck 2020).
* Closeness (S4.5), per person: felt closeness to the close circle (partner, family, close
  friends) and to the wider community (own group, acquaintances, strangers), each 0-1. Time
  with them draws it toward 1, ``dC/dt = k contact M(g_C) (1 - C) - (C - C0) / tau``, and it
  settles back to the person's own level C0 over days. Oxytocin's NAc/VTA action amplifies the
  close circle's gain only (g_community = 0: Pearce 2017 found the OXTR gene tied to romantic
  ties, the wider network to endorphin and dopamine genes); contact with an out-group brings no
  community closeness. The community layer reads these states.
* Groups (S4.5): during in-group contact in-group cooperation = base x ``M(g_fav)``; during
  out-group contact defensive aggression = base x ``M(g_def)`` (g_def < g_fav) and offensive
  aggression = base, without an oxytocin term (De Dreu 2010). Envy and schadenfreude scale with
  salience and more so toward an out-group rival.

Sources: Bartz JA et al. Trends Cogn Sci 2011;15:301-9 (person and context moderate oxytocin's
effects); Bartz JA et al. PNAS 2010;107:21371-5; Fraley RC et al. J Pers Soc Psychol
2006;90:1163-90 (attachment anxiety and reading of changing expressions); Kosfeld M et al.
Nature 2005;435:673-6; Nave G et al. Perspect Psychol Sci 2015;10:772-89; Declerck CH et al. Nat
Hum Behav 2020;4:646-55; De Dreu CKW et al. Science 2010;328:1408-11 and PNAS 2011;108:1262-6;
Shamay-Tsoory SG et al. Biol Psychiatry 2009;66:864-70 (envy and gloating); Bakermans-Kranenburg
MJ, van IJzendoorn MH. Psychiatr Genet 2014;24:45-51 (rs53576, d about 0.1); Pearce E et al.
PNAS 2017;114:5300-5 (genes of romantic vs wider-network ties); Aron A, Aron EN, Smollan D. J Pers
Soc Psychol 1992;63:596-612 (inclusion of other in the self).
"""

from __future__ import annotations

from oxysim.model import ops
from oxysim.model.motifs import clamp, relax
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.reward import SOCIAL_CHANNELS, social_presence
from oxysim.model.submodel import Signals, SubModel, Variable

_UNITLESS = "1"
_KOSFELD = "kosfeld2005_trust"
_BARTZ = "bartz2010_attachment_anxiety"
_DEDREU = "dedreu2010_parochial_altruism"
_RS53576 = "rs53576_meta_analyses"
_ECR_NORMS = (
    "ECR norms (Brennan KA, Clark CL, Shaver PR 1998: anxiety about 3.6 +/- 1.1, avoidance "
    "about 2.9 +/- 1.1 in students): the bias is set to vanish at the norm"
)

PARAMETERS = (
    Parameter(
        "social_oxytocin_half_signal",
        2.0,
        "1",
        "receptor signal (x reference) at which oxytocin's social action is half saturated",
        "assumption",
        (0.1, 50.0),
        source="assumption: saturating peptide action, as in the reward sub-model's VTA gate",
    ),
    Parameter(
        "salience_oxytocin_gain",
        0.5,
        "1",
        "gain of oxytocin's amygdala action on the salience of social cues",
        "contested",
        (0.0, 1.0),
        source="Shahrestani S, Kemp AH, Guastella AJ. Neuropsychopharmacology 2013;38:1929-36 "
        "(small gains in emotion recognition); Leppanen J et al. Neurosci Biobehav Rev "
        "2017;78:125-44 (no overall effect); size a guess",
        neutral=0.0,
    ),
    Parameter(
        "cue_detection_latency_baseline",
        600.0,
        "ms",
        "latency to detect a facial expression at the reference salience",
        "assumption",
        (200.0, 2000.0),
        source="assumption: typical choice latencies in face and expression detection tasks",
    ),
    Parameter(
        "face_recognition_baseline_odds",
        3.0,
        "1",
        "odds correct (correct / wrong) of face recognition at the reference salience",
        "established",
        (0.1, 50.0),
        source="Duchaine B, Nakayama K. Neuropsychologia 2006;44:576-85 (Cambridge Face Memory "
        "Test, about 75-80 % correct); spread (CV 0.6) from its between-subject SD",
        calibrated_to=_RS53576,
        between_subject_cv=0.6,
    ),
    Parameter(
        "affiliative_oxytocin_gain",
        0.3,
        "1",
        "gain of oxytocin's NAc/VTA action on affiliative motivation",
        "contested",
        (0.0, 1.0),
        source="S4.2; Bethlehem RAI et al. Psychoneuroendocrinology 2013;38:962-74 (review: "
        "effects small and context-dependent); size a guess",
        neutral=0.0,
    ),
    Parameter(
        "affiliative_motivation_baseline",
        1.0,
        "1",
        "affiliative motivation (x typical) at the reference signal; its spread is the trait's",
        "assumption",
        (0.1, 10.0),
        source="scale by definition; spread CV 0.35 so that rs53576 gives d about 0.1",
        calibrated_to=_RS53576,
        between_subject_cv=0.35,
    ),
    Parameter(
        "anxiety_appraisal_weight",
        0.15,
        "1",
        "fall of the reading bias (valence units) per ECR point of attachment anxiety",
        "assumption",
        (0.0, 0.5),
        source="direction: Fraley 2006 and Mikulincer M, Shaver PR, Attachment in adulthood, "
        "2007 (anxious people read ambiguous cues as threat and rejection); size a guess",
    ),
    Parameter(
        "avoidance_appraisal_weight",
        0.05,
        "1",
        "fall of the reading bias (valence units) per ECR point of attachment avoidance",
        "assumption",
        (0.0, 0.5),
        source="direction: Mikulincer & Shaver 2007 (avoidant people see others less warmly); "
        "smaller than anxiety because Bartz 2010 found no moderation by avoidance",
    ),
    Parameter(
        "appraisal_neutral_anxiety",
        3.6,
        "1",
        "attachment anxiety (ECR 1-7) at which the reading bias is zero",
        "assumption",
        (1.0, 7.0),
        source=_ECR_NORMS,
    ),
    Parameter(
        "appraisal_neutral_avoidance",
        2.9,
        "1",
        "attachment avoidance (ECR 1-7) at which the reading bias is zero",
        "assumption",
        (1.0, 7.0),
        source=_ECR_NORMS,
    ),
    Parameter(
        "appraisal_oxytocin_amplification",
        0.8,
        "1",
        "gain of oxytocin's amygdala action on the dispositional reading bias",
        "contested",
        (0.0, 1.0),
        source="Bartz 2010 (oxytocin: more caring recalled at low anxiety, less at high); "
        "Bartz 2011 review (oxytocin amplifies dispositions); size a guess",
        calibrated_to=_BARTZ,
        neutral=0.0,
    ),
    Parameter(
        "expression_reciprocity",
        1.0,
        "1",
        "expression given in reply per unit of perceived valence (mimicry and reciprocity)",
        "assumption",
        (0.0, 2.0),
        source="direction: Dimberg U, Thunberg M, Elmehed K. Psychol Sci 2000;11:86-9 (rapid "
        "facial mimicry); Hess U, Fischer A. Pers Soc Psychol Rev 2013;17:142-57; size a guess",
    ),
    Parameter(
        "partner_expression_time_constant",
        1.5,
        "min",
        "time constant of the other person's expression following the reply",
        "assumption",
        (1.5, 30.0),
        source="assumption: expressions change in seconds, averaged to the 1-min model step",
    ),
    Parameter(
        "investment_baseline",
        0.55,
        "1",
        "fraction of an endowment invested (trust or risk game) at the reference signal",
        "established",
        (0.01, 1.0),
        source="Johnson ND, Mislin AA. J Econ Psychol 2011;32:865-89 (meta-analysis: senders "
        "send about half); Kosfeld 2005 placebo about 8 of 12 MU; spread CV 0.45 gives about "
        "a fifth maximal trusters",
        calibrated_to=_KOSFELD,
        between_subject_cv=0.45,
    ),
    Parameter(
        "trust_oxytocin_gain",
        0.15,
        "1",
        "gain of oxytocin's amygdala action on the social (betrayal-aversion) part of trust",
        "contested",
        (0.0, 1.0),
        source="Nave 2015 and Declerck 2020 (replications: d about 0-0.15); Kosfeld 2005 and "
        "Baumgartner T et al. Neuron 2008;58:639-50 (direction, betrayal aversion)",
        calibrated_to=_KOSFELD,
        neutral=0.0,
    ),
    Parameter(
        "ingroup_cooperation_baseline",
        0.5,
        "1",
        "fraction of an endowment given to the in-group pool at the reference signal",
        "assumption",
        (0.01, 1.0),
        source="assumption: about half the endowment in intergroup prisoner's dilemmas "
        "(De Dreu 2010 placebo); spread CV 0.4",
        between_subject_cv=0.4,
    ),
    Parameter(
        "close_circle_closeness_baseline",
        0.7,
        "1",
        "a person's own felt closeness to the close circle, 0-1",
        "assumption",
        (0.05, 0.95),
        between_subject_cv=0.2,
        source="assumption: inclusion-of-other-in-the-self ratings of a close other sit high on "
        "the 7-point scale (Aron 1992), about 0.7 of its range",
    ),
    Parameter(
        "community_closeness_baseline",
        0.35,
        "1",
        "a person's own felt closeness to the wider community, 0-1",
        "assumption",
        (0.05, 0.95),
        between_subject_cv=0.4,
        source="assumption: closeness to acquaintances and the community is lower and varies "
        "more between people than closeness to intimates (Aron 1992)",
    ),
    Parameter(
        "closeness_contact_rate",
        0.01,
        "1/min",
        "rate at which time together draws closeness toward 1",
        "assumption",
        (0.0, 0.1),
        source="assumption: an hour together closes about half the gap for a while",
    ),
    Parameter(
        "closeness_settling_time",
        4320.0,
        "min",
        "time constant of closeness settling back to a person's own level (3 days)",
        "assumption",
        (60.0, 100000.0),
        source="assumption: felt closeness after contact fades over days",
    ),
    Parameter(
        "close_circle_oxytocin_gain",
        1.0,
        "1",
        "gain of oxytocin's NAc/VTA action on closeness gained with the close circle",
        "contested",
        (0.0, 1.0),
        source="the reward path of pair bonding (Scheele R et al. PNAS 2013;110:20308-13: "
        "oxytocin raised the reward response to the partner's face, not to other women's); "
        "contested by null couple studies",
        neutral=0.0,
    ),
    Parameter(
        "community_oxytocin_gain",
        0.0,
        "1",
        "gain of oxytocin's NAc/VTA action on closeness gained with the wider community",
        "human-single",
        (0.0, 1.0),
        source="Pearce E et al. PNAS 2017;114:5300-5: OXTR variants tied to romantic "
        "relationships, the wider network to endorphin and dopamine genes; no oxytocin term",
    ),
    Parameter(
        "favouritism_oxytocin_gain",
        0.6,
        "1",
        "gain of oxytocin's NAc/VTA action on in-group favouritism",
        "contested",
        (0.0, 1.0),
        source="De Dreu 2010 (in-group love up) and 2011 (ethnocentrism); contested: Declerck "
        "2020 and later failures to replicate",
        calibrated_to=_DEDREU,
        neutral=0.0,
    ),
    Parameter(
        "defensiveness_oxytocin_gain",
        0.25,
        "1",
        "gain of oxytocin's amygdala action on defensive aggression toward a threatening out-group",
        "contested",
        (0.0, 1.0),
        source="De Dreu 2010 (defensive, not offensive, aggression up, less than favouritism); "
        "De Dreu 2011 (derogation rose less than favouritism)",
        calibrated_to=_DEDREU,
        neutral=0.0,
    ),
    Parameter(
        "defensive_aggression_baseline",
        0.2,
        "1",
        "fraction of an endowment spent against a threatening out-group at the reference signal",
        "assumption",
        (0.0, 1.0),
        source="assumption: a minority of the endowment (De Dreu 2010 placebo); spread CV 0.5",
        between_subject_cv=0.5,
    ),
    Parameter(
        "offensive_aggression_baseline",
        0.15,
        "1",
        "fraction of an endowment spent to exploit an out-group; no oxytocin term",
        "assumption",
        (0.0, 1.0),
        source="assumption on the size; De Dreu 2010: offensive aggression unchanged by oxytocin; "
        "spread CV 0.5",
        between_subject_cv=0.5,
    ),
    Parameter(
        "outgroup_rivalry_comparison_gain",
        0.5,
        "1",
        "extra envy and schadenfreude toward an out-group rival, relative to a stranger",
        "assumption",
        (0.0, 5.0),
        source="direction: Cikara M, Botvinick MM, Fiske ST. Psychol Sci 2011;22:306-13 "
        "(schadenfreude at a rival group's misfortune); size a guess",
    ),
)


def oxytocin_action(signal: Value, blockade: Value, p: Signals) -> Value:
    """Saturating action of bound receptors: 1 at the reference signal, 0 with none or blocked."""
    s = ops.maximum(signal * (1.0 - clamp(blockade, 0.0, 1.0)), 0.0)
    k = p.social_oxytocin_half_signal
    return s * (1.0 + k) / (s + k)


def modulation(action: Value, gain: Value) -> Value:
    """Scale ``1 + gain (action - 1)`` of a behaviour by oxytocin's action (>= 0 for gain <= 1)."""
    return 1.0 + gain * (action - 1.0)


def _statics(v: Signals, p: Signals) -> dict[str, Value]:
    """Attachment disposition of the reading bias: > 0 secure (prosocial), < 0 anxious (threat)."""
    disposition = p.anxiety_appraisal_weight * (
        p.appraisal_neutral_anxiety - v.attachment_anxiety
    ) + p.avoidance_appraisal_weight * (p.appraisal_neutral_avoidance - v.attachment_avoidance)
    return {"attachment_disposition": ops.as_float(disposition)}


def expression_shown(v: Signals) -> Value:
    """1 while another person's expression is shown (any valence or formation), else 0."""
    return ops.where(
        (v.expression_formation > 0.0) | (ops.absolute(v.expression_valence) > 0.0), 1.0, 0.0
    )


def _expression_loop(v: Signals, bias: Value, p: Signals) -> dict[str, Value]:
    """Reading of the other person's expression, read through the bias, and the reply."""
    shown = v.partner_expression
    perceived = clamp(shown + (1.0 - ops.absolute(shown)) * bias, -1.0, 1.0)
    return {
        "perceived_valence": perceived,
        "expression_reply": clamp(p.expression_reciprocity * perceived, -1.0, 1.0),
    }


def _group_behaviour(v: Signals, amygdala: Value, reward: Value, p: Signals) -> dict[str, Value]:
    """In-group cooperation and out-group aggression during contact with the groups."""
    outgroup = clamp(v.social_outgroup, 0.0, 1.0)
    favour = modulation(reward, p.favouritism_oxytocin_gain)
    defend = modulation(amygdala, p.defensiveness_oxytocin_gain)
    return {
        "ingroup_cooperation": clamp(v.social_ingroup, 0.0, 1.0)
        * clamp(p.ingroup_cooperation_baseline * favour, 0.0, 1.0),
        "defensive_aggression": outgroup
        * clamp(p.defensive_aggression_baseline * defend, 0.0, 1.0),
        "offensive_aggression": outgroup * clamp(p.offensive_aggression_baseline, 0.0, 1.0),
    }


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    amygdala = oxytocin_action(v.oxtr_signal_amygdala, v.oxtr_antagonist_central, p)
    reward = oxytocin_action(v.oxtr_signal_nac_vta, v.oxtr_antagonist_central, p)
    salience = modulation(amygdala, p.salience_oxytocin_gain)
    bias = v.attachment_disposition * modulation(amygdala, p.appraisal_oxytocin_amplification)
    recognition_odds = p.face_recognition_baseline_odds * salience
    trust = modulation(amygdala, p.trust_oxytocin_gain)
    presence = social_presence(v)
    return {
        "social_oxytocin_action": amygdala,
        "affiliative_oxytocin_action": reward,
        "social_salience": salience,
        "social_cue_detection_latency": p.cue_detection_latency_baseline / salience,
        "face_recognition_accuracy": recognition_odds / (1.0 + recognition_odds),
        "affiliative_motivation": p.affiliative_motivation_baseline
        * modulation(reward, p.affiliative_oxytocin_gain),
        "social_appraisal_bias": clamp(bias, -1.0, 1.0),
        **_expression_loop(v, bias, p),
        "investment_fraction": clamp(
            p.investment_baseline * (1.0 + presence * (trust - 1.0)), 0.0, 1.0
        ),
        **_group_behaviour(v, amygdala, reward, p),
        "envy_schadenfreude": salience
        * (1.0 + p.outgroup_rivalry_comparison_gain * clamp(v.social_outgroup, 0.0, 1.0)),
    }


def _closeness_rate(
    closeness: Value, contact: Value, baseline: Value, gain: Value, reward: Value, p: Signals
) -> Value:
    """Contact draws closeness toward 1 (amplified by oxytocin); it settles back to baseline."""
    drawn = p.closeness_contact_rate * clamp(contact, 0.0, 1.0) * modulation(reward, gain)
    return drawn * (1.0 - closeness) - (closeness - baseline) / p.closeness_settling_time


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    formed = clamp(v.expression_formation, 0.0, 1.0)
    target = formed * v.expression_valence + (1.0 - formed) * v.expression_reply
    reward = oxytocin_action(v.oxtr_signal_nac_vta, v.oxtr_antagonist_central, p)
    community = v.social_ingroup + v.social_stranger
    return {
        "partner_expression": relax(
            v.partner_expression, expression_shown(v) * target, p.partner_expression_time_constant
        ),
        "close_circle_closeness": _closeness_rate(
            v.close_circle_closeness,
            v.social_partner,
            p.close_circle_closeness_baseline,
            p.close_circle_oxytocin_gain,
            reward,
            p,
        ),
        "community_closeness": _closeness_rate(
            v.community_closeness,
            community,
            p.community_closeness_baseline,
            p.community_oxytocin_gain,
            reward,
            p,
        ),
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    """No expression shown (neutral, 0); closeness at the person's own levels."""
    zero = ops.zeros_like(v.attachment_anxiety)
    return {
        "partner_expression": zero,
        "close_circle_closeness": zero + p.close_circle_closeness_baseline,
        "community_closeness": zero + p.community_closeness_baseline,
    }


def _variable(name: str, description: str, unit: str = _UNITLESS) -> Variable:
    return Variable(name, unit, description)


SOCIAL = SubModel(
    name="social",
    description=__doc__.split("\n")[0],
    s_ids=("S4.1", "S4.2", "S4.3", "S4.4", "S4.5", "S2.8"),
    states=(
        Variable(
            "partner_expression",
            _UNITLESS,
            "the other person's displayed expression, -1 scowl .. 1 smile, shaped by the reply",
            signed=True,
        ),
        Variable("close_circle_closeness", _UNITLESS, "felt closeness to the close circle, 0-1"),
        Variable("community_closeness", _UNITLESS, "felt closeness to the wider community, 0-1"),
    ),
    statics=(
        _variable(
            "attachment_disposition", "reading bias from attachment: > 0 secure, < 0 anxious"
        ),
    ),
    outputs=(
        _variable("social_oxytocin_action", "oxytocin action on amygdala OXTR, 1 = reference"),
        _variable("affiliative_oxytocin_action", "oxytocin action on NAc/VTA OXTR, 1 = reference"),
        _variable("social_salience", "salience of social cues, 1 = reference"),
        _variable("social_cue_detection_latency", "time to detect an expression", "ms"),
        _variable("face_recognition_accuracy", "fraction of faces correctly recognised"),
        _variable("affiliative_motivation", "motivation to affiliate, x typical"),
        _variable("social_appraisal_bias", "reading of a wholly ambiguous social cue, -1..1"),
        _variable("perceived_valence", "reading of the other's expression, -1..1"),
        _variable("expression_reply", "expression given in reply, -1 scowl .. 1 smile"),
        _variable("investment_fraction", "fraction of the endowment invested (trust/risk game)"),
        _variable("ingroup_cooperation", "fraction of an endowment given to the in-group pool"),
        _variable("defensive_aggression", "fraction spent against a threatening out-group"),
        _variable("offensive_aggression", "fraction spent to exploit an out-group"),
        _variable("envy_schadenfreude", "intensity of envy and gloating, x typical"),
    ),
    inputs=(
        _variable("oxtr_signal_amygdala", "bound OXTR in the amygdala, x reference at rest"),
        _variable("oxtr_signal_nac_vta", "bound OXTR in the NAc/VTA, x reference at rest"),
        _variable("oxtr_antagonist_central", "fraction of brain OXTR blocked"),
        _variable("expression_valence", "valence of an expression being shown (-1..1)"),
        _variable("expression_formation", "how far that expression has formed (0..1)"),
        *(_variable(c, "social interaction channel") for c in SOCIAL_CHANNELS),
        _variable("mating", "mating in progress"),
        _variable("attachment_anxiety", "attachment anxiety, ECR 1-7"),
        _variable("attachment_avoidance", "attachment avoidance, ECR 1-7"),
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    static_fn=_statics,
    resting_state_fn=_resting,
)
