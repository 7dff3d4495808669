"""The gateway's certificates, feedback and calendar fields: names come from the registry with the caller's token,
the events service gets them with the issuing request; unknown codes read as null."""
import uuid

from metodset_gateway.clients import ServiceError
from metodset_gateway.context import Context
from metodset_gateway.schema import schema
from metodset_kit.scope import Principal, Role

EVENT, SEEN, HIDDEN = (str(uuid.uuid4()) for _ in range(3))


class FakeService:
    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    async def call(self, method, path, token, **kwargs):
        self.calls.append((method, path, token, kwargs))
        answer = self.answers.get((method, path))
        if answer is None:
            raise ServiceError("not found", extensions={"code": "NOT_FOUND", "status": 404})
        return answer


async def run(query: str, registry=None, events=None):
    context = Context(principal=Principal("m", Role.MUNICIPAL_METHODIST, municipality="29701000"), token="tok",
                      registry=registry or FakeService({}), events=events or FakeService({}))
    return await schema.execute(query, context_value=context)


async def test_issuing_sends_the_names_the_registry_shows_and_refuses_the_rest():
    registry = FakeService({("GET", f"/persons/{SEEN}"): {"id": SEEN, "fullName": "Иванова Мария Петровна"}})
    events = FakeService({("POST", f"/events/{EVENT}/certificates"): {"items": [
        {"personId": SEEN, "status": "ISSUED", "code": "7K3M-9QX2-ABCD", "reason": None}]}})
    result = await run(f'mutation {{ issueCertificates(eventId: "{EVENT}", personIds: ["{SEEN}", "{HIDDEN}"]) '
                       '{ personId status code reason } }', registry, events)
    assert result.errors is None, result.errors
    answers = {a["personId"]: a for a in result.data["issueCertificates"]}
    assert answers[SEEN]["status"] == "ISSUED" and answers[SEEN]["code"] == "7K3M-9QX2-ABCD"
    assert answers[HIDDEN]["status"] == "REFUSED" and "реестр" in answers[HIDDEN]["reason"]
    [(method, path, token, kwargs)] = events.calls
    assert token == "tok" and kwargs["json"] == {"holders": [{"personId": SEEN, "fullName": "Иванова Мария Петровна"}]}


async def test_an_unknown_code_verifies_as_null_and_a_known_one_shows_the_certificate():
    shown = {"code": "7K3M-9QX2-ABCD", "title": "Сертификат участника", "region": "Калужская область",
             "issuer": "Центр", "holder": "Иванова", "subject": "Семинар",
             "facts": [{"label": "Объём", "value": "8 ч."}], "issuedAt": "2027-03-14T10:00:00+00:00"}
    events = FakeService({("GET", "/certificates/7K3M-9QX2-ABCD"): shown})
    result = await run('{ a: verifyCertificate(code: "7K3M-9QX2-ABCD") { holder facts { label value } } '
                       'b: verifyCertificate(code: "../events") { holder } }', events=events)
    assert result.errors is None, result.errors
    assert result.data["a"] == {"holder": "Иванова", "facts": [{"label": "Объём", "value": "8 ч."}]}
    assert result.data["b"] is None
    assert events.calls[1][1] == "/certificates/..%2Fevents"  # the code cannot walk to another path


async def test_feedback_reads_count_average_and_five_counts():
    events = FakeService({("GET", f"/events/{EVENT}/feedback"): {
        "count": 2, "average": 4.5, "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}, "comments": ["Да"]}})
    result = await run(f'{{ eventFeedback(eventId: "{EVENT}") {{ count average distribution comments }} }}',
                       events=events)
    assert result.errors is None, result.errors
    assert result.data["eventFeedback"] == {"count": 2, "average": 4.5, "distribution": [0, 0, 0, 1, 1],
                                            "comments": ["Да"]}
