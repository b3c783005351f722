"""The wave driver: first requests together, then repairs, each draft finished the moment it completes."""

from __future__ import annotations

from pipeline.llm.provider import Message, Request, Response
from pipeline.llm.waves import drive_waves


def test_waves_send_first_requests_together_then_repairs_and_finish_each_draft_as_it_completes() -> None:
    def conversation(name: str, rounds: int):
        for attempt in range(rounds):
            answer = yield Request(messages=(Message("user", f"{name} round {attempt}"),), schema={})
            assert answer.text == f"{name} round {attempt}"
        return f"{name} done"

    waves: list[list[str]] = []
    finished: list[str] = []

    def answer(requests: list[Request], on_answer) -> list[Response | None]:
        waves.append([r.messages[0].content for r in requests])
        replies: list[Response | None] = []
        for index, request in enumerate(requests):
            if request.messages[0].content.startswith("d "):  # the provider never answers this one
                replies.append(None)
                continue
            replies.append(Response(text=request.messages[0].content, finish_reason="stop"))
            on_answer(index, replies[-1])
        return replies

    talks = [(name, conversation(name, rounds)) for name, rounds in (("a", 1), ("b", 3), ("c", 2), ("d", 2))]
    unfinished = drive_waves(talks, answer, lambda key, result: finished.append(result), wave_size=10)
    assert waves == [["a round 0", "b round 0", "c round 0", "d round 0"], ["b round 1", "c round 1"],
                     ["b round 2"]]
    assert finished == ["a done", "c done", "b done"] and unfinished == 1
