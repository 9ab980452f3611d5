"""Test data for the interaction sorter: Kitwood's two lists as he named them, and a small
catalogue, shared by the model's and the view's tests."""

from __future__ import annotations

# Kitwood's lists as the course's facts file gives them (Kitwood 1997), typed out by hand
# from /work/shared/facts.md, in its order: 17 kinds of malignant social psychology and
# 12 kinds of positive person work (the last two started by the person living with dementia).
MALIGNANT_SOCIAL_PSYCHOLOGY = [
    "intimidation",
    "withholding",
    "outpacing",
    "infantilisation",
    "labelling",
    "disparagement",
    "accusation",
    "treachery",
    "invalidation",
    "disempowerment",
    "imposition",
    "disruption",
    "objectification",
    "stigmatisation",
    "ignoring",
    "banishment",
    "mockery",
]
POSITIVE_PERSON_WORK = [
    "recognition",
    "negotiation",
    "collaboration",
    "play",
    "timalation",
    "celebration",
    "relaxation",
    "validation",
    "holding",
    "facilitation",
    "creation",
    "giving",
]

# A tiny catalogue written for these tests, so the expected feedback can be worked out by hand.
SMALL = {
    "title": "Test sorter",
    "kinds": {
        "undermines": [
            {"id": "outpacing", "label": "Outpacing", "definition": "Going too fast."},
            {"id": "ignoring", "label": "Ignoring", "definition": "Acting as if the person were not there."},
            {"id": "mockery", "label": "Mockery", "definition": "Laughing at the person."},
        ],
        "upholds": [
            {"id": "recognition", "label": "Recognition", "definition": "Knowing the person."},
            {"id": "giving", "label": "Giving", "definition": "Started by the person, who offers kindness."},
        ],
    },
    "vignettes": [
        {
            "id": "rushed-visit",
            "title": "A rushed visit",
            "setting": "Repairs",
            "text": "The operative talks fast and over the tenant.",
            "verdict": "undermines",
            "kind": "outpacing",
            "also": {"ignoring": "he talked over her."},
            "needs": ["comfort", "occupation"],
            "explanation": "Slow down.",
        },
        {
            "id": "cup-of-tea",
            "title": "A cup of tea",
            "setting": "Home visit",
            "text": "The tenant offers tea and the officer accepts.",
            "verdict": "upholds",
            "kind": "giving",
            "needs": ["identity"],
            "explanation": "Accepting affirms the tenant.",
        },
    ],
}
