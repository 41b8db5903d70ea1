"""The xAPI 1.0.3 statement validator (store/xapi/validate.py) against the specification's own examples
(xAPI-Data.md §2.3.2, §2.4, §2.4.4.3, Appendices A-C, retyped here), and against statements that break
each rule an LRS must reject them for (§2.2 s4). Ralph's models, where they disagree with the
specification, are not the reference."""
from __future__ import annotations

import copy

import pytest

from store.xapi.validate import InvalidStatement, check, problems

SIMPLEST = {  # §2.4: the simplest statement using all properties that MUST or SHOULD be used
    "id": "12345678-1234-5678-1234-567812345678",
    "actor": {"mbox": "mailto:xapi@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/created", "display": {"en-US": "created"}},
    "object": {"id": "http://example.adlnet.gov/xapi/example/activity"},
}
VOIDING = {  # §2.3.2
    "actor": {"objectType": "Agent", "name": "Example Admin", "mbox": "mailto:admin@example.adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
    "object": {"objectType": "StatementRef", "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"},
}
COMMENT_ON_STATEMENT = {  # §2.4.4.3 statement references
    "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
    "verb": {"id": "http://example.com/commented", "display": {"en-US": "commented"}},
    "object": {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
    "result": {"response": "Wow, nice work!"},
}
PLANNED = {  # §2.4.4.3 SubStatements
    "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
    "verb": {"id": "http://example.com/planned", "display": {"en-US": "planned"}},
    "object": {"objectType": "SubStatement",
               "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
               "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
               "object": {"objectType": "Activity", "id": "http://example.com/website",
                          "definition": {"name": {"en-US": "Some Awesome Website"}}}},
}
APPENDIX_A_SIMPLE = {
    "id": "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", "timestamp": "2015-11-18T12:17:00+00:00",
    "actor": {"objectType": "Agent", "name": "Project Tin Can API", "mbox": "mailto:user@example.com"},
    "verb": {"id": "http://example.com/xapi/verbs#sent-a-statement", "display": {"en-US": "sent"}},
    "object": {"id": "http://example.com/xapi/activity/simplestatement",
               "definition": {"name": {"en-US": "simple statement"},
                              "description": {"en-US": "A simple Experience API statement."}}},
}
APPENDIX_A_ATTEMPTED = {
    "id": "7ccd3322-e1a5-411a-a67d-6a735c76f119", "timestamp": "2015-12-18T12:17:00+00:00",
    "actor": {"objectType": "Agent", "name": "Example Learner", "mbox": "mailto:example.learner@adlnet.gov"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
    "object": {"id": "http://example.adlnet.gov/xapi/example/simpleCBT",
               "definition": {"name": {"en-US": "simple CBT course"},
                              "description": {"en-US": "A fictitious example CBT course."}}},
    "result": {"score": {"scaled": 0.95}, "success": True, "completion": True, "duration": "PT1234S"},
}
APPENDIX_A_LONG = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group", "member": [
        {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"},
         "objectType": "Agent"},
        {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
        {"name": "Ena Hills", "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "objectType": "Agent"}]},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended", "en-US": "attended"}},
    "result": {"extensions": {"http://example.com/profiles/meetings/resultextensions/minuteslocation":
                              "X:\\meetings\\minutes\\examplemeeting.one"},
               "success": True, "completion": True, "response": "We agreed on some example actions.",
               "duration": "PT1H0M0S"},
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
            "category": [{"id": "http://www.example.com/meetings/categories/teammeeting", "objectType": "Activity",
                          "definition": {"name": {"en": "team meeting"},
                                         "description": {"en": "A category of meeting used for regular team meetings."},
                                         "type": "http://example.com/expapi/activities/meetingcategory"}}],
            "other": [{"id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity"},
                      {"id": "http://www.example.com/meetings/occurances/3425567", "objectType": "Activity"}]},
        "instructor": {"name": "Andrew Downes", "account": {"homePage": "http://www.example.com", "name": "13936749"},
                       "objectType": "Agent"},
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software", "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"}},
    "timestamp": "2013-05-18T05:32:34.804+00:00", "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {"account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"}, "objectType": "Agent"},
    "version": "1.0.0",
    "object": {"id": "http://www.example.com/meetings/occurances/34534", "objectType": "Activity", "definition": {
        "extensions": {"http://example.com/profiles/meetings/activitydefinitionextensions/room":
                       {"name": "Kilby", "id": "http://example.com/rooms/342"}},
        "name": {"en-GB": "example meeting", "en-US": "example meeting"},
        "description": {"en-GB": "An example meeting.", "en-US": "An example meeting."},
        "type": "http://adlnet.gov/expapi/activities/meeting", "moreInfo": "http://virtualmeeting.example.com/345256"}},
}
APPENDIX_B_OBJECTS = [
    {"id": "http://www.example.co.uk/exampleactivity", "objectType": "Activity",
     "definition": {"name": {"en-GB": "example activity"}, "description": {"en-GB": "An example of an activity"},
                    "type": "http://www.example.co.uk/types/exampleactivitytype"}},
    {"name": "Andrew Downes", "mbox": "mailto:andrew@example.co.uk", "objectType": "Agent"},
    {"name": "Example Group", "account": {"homePage": "http://example.com/homePage", "name": "GroupAccount"},
     "objectType": "Group", "member": [
         {"name": "Andrew Downes", "mbox": "mailto:andrew@example.com", "objectType": "Agent"},
         {"name": "Aaron Silvers", "openid": "http://aaron.openid.example.org", "objectType": "Agent"}]},
    {"objectType": "SubStatement", "actor": {"objectType": "Agent", "mbox": "mailto:agent@example.com"},
     "verb": {"id": "http://example.com/confirmed", "display": {"en": "confirmed"}},
     "object": {"objectType": "StatementRef", "id": "9e13cefd-53d3-4eac-b5ed-2cf6693903bb"}},
]
APPENDIX_C_DEFINITIONS = [
    {"description": {"en-US": "Does the xAPI include the concept of statements?"},
     "type": "http://adlnet.gov/expapi/activities/cmi.interaction", "interactionType": "true-false",
     "correctResponsesPattern": ["true"]},
    {"description": {"en-US": "Which of these prototypes are available at the beta site?"},
     "type": "http://adlnet.gov/expapi/activities/cmi.interaction", "interactionType": "choice",
     "correctResponsesPattern": ["golf[,]tetris"],
     "choices": [{"id": "golf", "description": {"en-US": "Golf Example"}},
                 {"id": "facebook", "description": {"en-US": "Facebook App"}},
                 {"id": "tetris", "description": {"en-US": "Tetris Example"}}]},
    {"description": {"en-US": "Ben is often heard saying: "},
     "type": "http://adlnet.gov/expapi/activities/cmi.interaction", "interactionType": "fill-in",
     "correctResponsesPattern": ["Bob's your uncle"]},
]


@pytest.mark.parametrize("statement", [SIMPLEST, VOIDING, COMMENT_ON_STATEMENT, PLANNED, APPENDIX_A_SIMPLE,
                                       APPENDIX_A_ATTEMPTED, APPENDIX_A_LONG],
                         ids=["simplest", "voiding", "statement-ref", "substatement", "appendix-a-simple",
                              "appendix-a-attempted", "appendix-a-long"])
def test_the_specifications_examples_are_valid(statement):
    assert problems(statement) == []
    check(statement)


@pytest.mark.parametrize("obj", APPENDIX_B_OBJECTS, ids=["activity", "agent", "group", "substatement"])
def test_appendix_b_objects_of_each_type_are_valid(obj):
    assert problems({**SIMPLEST, "object": obj}) == []


@pytest.mark.parametrize("definition", APPENDIX_C_DEFINITIONS, ids=["true-false", "choice", "fill-in"])
def test_appendix_c_interaction_definitions_are_valid(definition):
    assert problems({**SIMPLEST, "object": {"id": "http://example.com/q1", "definition": definition}}) == []


@pytest.mark.parametrize("duration", ["PT4H35M59.14S", "P16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W"])
def test_the_specifications_durations_are_valid(duration):   # §4.6 examples
    assert problems({**SIMPLEST, "result": {"duration": duration}}) == []


def _with(path: str, value, base=SIMPLEST):
    statement = copy.deepcopy(base)
    *parents, last = path.split(".")
    node = statement
    for key in parents:
        node = node.setdefault(key, {})
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return statement


BROKEN = [
    ("no verb", _with("verb", KeyError), "verb: is required"),
    ("unknown property", _with("rolecall", 1), "rolecall: is not a property"),
    ("null outside extensions", _with("actor.name", None), "actor.name: must not be null"),
    ("IRI without a scheme", _with("verb.id", "created"), "verb.id"),
    ("mbox without mailto", _with("actor.mbox", "xapi@adlnet.gov"), "actor.mbox"),
    ("two identifiers", _with("actor.openid", "http://x.example.org"), "identifiers"),
    ("agent without identifier", _with("actor", {"name": "Ana"}), "needs one identifier"),
    ("account without homePage", _with("actor", {"account": {"name": "1"}}), "actor.account.homePage: is required"),
    ("homePage not an IRL", _with("actor", {"account": {"homePage": "rolecall", "name": "1"}}), "not an IRL"),
    ("sha1 that is not one", _with("actor", {"mbox_sha1sum": "abc"}), "40 hexadecimal"),
    ("id not a UUID", _with("id", "42"), "not a UUID"),
    ("bad language tag", _with("verb.display", {"english language": "created"}), "RFC 5646"),
    ("scaled above 1", _with("result", {"score": {"scaled": 1.5}}), "outside -1"),
    ("raw above max", _with("result", {"score": {"raw": 6, "min": 1, "max": 5}}), "raw: is above max"),
    ("min not below max", _with("result", {"score": {"min": 5, "max": 5}}), "min must be less than max"),
    ("success not a boolean", _with("result", {"success": "yes"}), "true or false"),
    ("duration in the alternative format", _with("result", {"duration": "PT01:30:00"}), "ISO 8601 duration"),
    ("weeks with days", _with("result", {"duration": "P4W1D"}), "ISO 8601 duration"),
    ("timestamp not a date", _with("timestamp", "yesterday"), "ISO 8601 date"),
    ("month 13", _with("timestamp", "2026-13-01T00:00:00Z"), "real date"),
    ("version 2", _with("version", "2.0.0"), "must start with 1.0"),
    ("anonymous group without members", _with("actor", {"objectType": "Group"}), "must list its members"),
    ("group in a group", _with("actor", {"objectType": "Group", "member": [{"objectType": "Group",
                                                                           "mbox": "mailto:a@example.com"}]}),
     "must not contain Groups"),
    ("agent object without objectType", _with("object", {"mbox": "mailto:a@example.com"}), "object.id: is required"),
    ("unknown objectType", _with("object", {"objectType": "Thing", "id": "http://x.example.com"}), "objectType"),
    ("voiding an activity", _with("verb.id", "http://adlnet.gov/expapi/verbs/voided"), "must be a StatementRef"),
    ("platform on a statement ref object", _with("context", {"platform": "Rolecall"}, COMMENT_ON_STATEMENT),
     "only be used when the object is an Activity"),
    ("team not a group", _with("context", {"team": {"mbox": "mailto:a@example.com"}}), "context.team"),
    ("unknown context activity kind", _with("context", {"contextActivities": {"sibling": []}}), "sibling"),
    ("extension key not an IRI", _with("context", {"extensions": {"score": 1}}), "not an IRI"),
    ("registration not a UUID", _with("context", {"registration": "take-1"}), "not a UUID"),
    ("nested substatement", _with("object", {**PLANNED["object"], "object": PLANNED["object"]}, PLANNED),
     "must not contain another SubStatement"),
    ("substatement with an id", _with("object", {**PLANNED["object"], "id": SIMPLEST["id"]}, PLANNED),
     "object.id: is not a property"),
    ("interaction type unknown", _with("object", {"id": "http://q.example.com", "definition": {
        "interactionType": "essay"}}), "interactionType"),
    ("duplicate interaction component ids", _with("object", {"id": "http://q.example.com", "definition": {
        "interactionType": "choice", "choices": [{"id": "a"}, {"id": "a"}]}}), "used twice"),
]


@pytest.mark.parametrize("statement,expected", [(s, e) for _n, s, e in BROKEN], ids=[n for n, _s, _e in BROKEN])
def test_each_rule_an_lrs_rejects_for_is_found(statement, expected):
    found = problems(statement)
    assert any(expected in p for p in found), found
    with pytest.raises(InvalidStatement) as caught:
        check(statement)
    assert expected in str(caught.value)


def test_extension_values_may_be_anything_even_null():  # §4.1: an LRS must not reject on extension values
    assert problems(_with("result", {"extensions": {"http://example.com/x": None}})) == []


def test_not_a_statement_at_all():
    assert problems([]) == ["statement: must be an object"]
