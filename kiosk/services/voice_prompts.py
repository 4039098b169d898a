"""Voice prompts: one short Mandarin (and English) sentence per journey step.

Audio files are generated at build time (``python -m kiosk.services.build_assets``) with
espeak-ng's Mandarin voice into ``assets/sounds/<lang>/<key>.wav`` and may later be replaced by
recorded files with the same names. :class:`VoicePrompter` decides *what* to say; playing the
file is the UI's job (Kivy ``SoundLoader``), and a missing file never breaks a screen: the
prompt event is still recorded (``history``) so tests and the technician log can see it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).resolve().parents[2] / "assets" / "sounds"

# key: (Mandarin, English)
_STEP_PROMPTS: dict[str, tuple[str, str]] = {
    "home": ("欢迎使用就业驿站自助服务。请将身份证放在感应区，或点击屏幕选择服务。",
             "Welcome. Place your ID card on the reader, or tap a service."),
    "consent": ("请阅读个人信息告知，同意后再放身份证。", "Please read the notice and agree before placing your card."),
    "place_card": ("请将身份证放在感应区。", "Please place your ID card on the reader."),
    "reading": ("正在读取身份证，请不要移动卡片。", "Reading your card. Please do not move it."),
    "read_ok": ("读卡成功，请取回身份证。", "Card read. Please take your card."),
    "read_failed": ("读卡失败，请拿开身份证后重新放置。", "Could not read the card. Remove it and place it again."),
    "card_expired": ("身份证已过有效期，请到人工窗口办理。", "Your ID card has expired. Please go to the counter."),
    "reader_unavailable": ("读卡器暂时无法使用，请联系工作人员。", "The card reader is unavailable. Please ask staff."),
    "invalid_number": ("证件号码校验未通过，请到人工窗口办理。", "The ID number could not be verified. Please go to the counter."),
    "no_card": ("没有检测到身份证，请将身份证平放在感应区。", "No card found. Lay your ID card flat on the reader."),
    "already_registered": ("您已经登记过，可以更新您的求职信息。", "You are already registered. You can update your details."),
    "register_form": ("请选择您的求职意向，点击下一步。", "Choose what work you are looking for, then tap Next."),
    "phone": ("请输入您的手机号码。", "Please enter your mobile number."),
    "review": ("请核对您的信息，确认后点击提交。", "Check your details, then tap Submit."),
    "registered": ("求职登记成功。", "You are registered."),
    "registered_offline": ("登记已保存，网络恢复后将自动提交。", "Saved. It will be submitted automatically when the network is back."),
    "gigs": ("这是驿站附近的零工，可以选今天、明天或本周。点一份看详情，报名请刷身份证。",
             "Day jobs near the station: choose today, tomorrow or this week. Tap one to see it."),
    "gig_signed": ("报名成功，请记好上工时间和地点，取走报名凭条。",
                   "You are signed up. Note the time and place, and take your slip."),
    "search": ("请输入或选择您想找的工作。", "Type or choose the job you are looking for."),
    "results": ("以下是为您找到的岗位，点击查看详情。", "Here are the jobs found. Tap one for details."),
    "detail": ("这是岗位详情。需要推荐单请点击申请推荐。", "Job details. Tap Apply to get a referral slip."),
    "match": ("根据您的求职意向，为您推荐以下岗位。", "Jobs matched to what you are looking for."),
    "printing": ("推荐单正在打印，请稍候。", "Your referral slip is printing. Please wait."),
    "printed": ("打印完成，请取走推荐单。", "Printed. Please take your slip."),
    "printer_problem": ("打印机暂时无法打印，请扫描屏幕上的二维码，或联系工作人员。",
                        "The printer cannot print now. Scan the code on screen or ask staff."),
    "policies": ("这是就业创业政策，点击查看详情。", "Employment policies. Tap one to read more."),
    "training": ("这是技能培训课程，点击查看详情。", "Training courses. Tap one to read more."),
    "assistance": ("请选择需要办理的事项。", "Choose the service you need."),
    "assistance_done": ("已提交，工作人员会尽快与您联系。", "Submitted. Staff will contact you soon."),
    # 就业援助办理 and 办件查询 (issue 18; kiosk/screens/applications.py)
    "application_guide": ("这是办事指南：谁可以办、需要准备什么、多久办好。看完请点击开始办理。",
                          "This guide says who may apply, what you need and how long it takes. Then tap Start."),
    "application_checks": ("请回答几个问题，点击“是”或“否”，然后点击下一步。",
                           "Answer a few questions with Yes or No, then tap Next."),
    "application_blocked": ("暂时不能在本机办理。屏幕上写明了原因，以及可以怎么办。",
                            "This cannot be done at the kiosk now. The screen says why and what you can do."),
    "hardship_check": ("请回答自查问题。结果只是参考，是否认定由经办机构决定。",
                       "Answer the self-check questions. The result is only a guide; the office decides."),
    "hardship_result": ("这是自查结果，只是参考。您可以提交认定申请，由经办机构审核。",
                        "Here is your self-check result, only a guide. You can apply; the office decides."),
    "application_form": ("请点击选择各项信息，输入手机号码，然后点击完成填写。",
                         "Choose your answers, enter your mobile number, then tap Done."),
    "application_done": ("申请已提交，请取走受理回执。凭办件号可以查询办理进度。",
                         "Submitted. Please take your receipt; the application number lets you follow its progress."),
    "application_saved": ("申请已保存，联网后自动提交。请取走回执。",
                          "Saved. It will be submitted when the network is back. Please take your receipt."),
    "application_query": ("这是您的办件和办理进度。", "Here are your applications and their progress."),
    "interest_intro": ("这是兴趣自我探索，不是考试，没有对错。您的回答不会发给用人单位。",
                       "This is a self-exploration, not a test. Your answers are never sent to employers."),
    "interest_result": ("这是您的兴趣探索结果，只是给您的建议。", "Here is your result. It is only a suggestion."),
    "resume": ("请选择要写进简历的内容，打印前可以看到纸上的全部内容。",
               "Choose what goes on your résumé; you see everything before it is printed."),
    "guidance": ("请选择职业指导的时间。", "Choose a time for your talk with a career adviser."),
    "guidance_booked": ("预约成功，请取走预约单。", "Booked. Please take your slip."),
    "rating": ("请您对本次服务进行评价，也可以直接跳过。", "Please rate this service, or skip it."),
    "idle": ("您还在使用吗？如需继续请点击屏幕。", "Are you still there? Tap the screen to continue."),
    "goodbye": ("本次服务已结束，您的信息已清除。", "Session ended. Your information has been cleared."),
}


def _interest_item_prompts() -> dict[str, tuple[str, str]]:
    """One prompt per 兴趣探索 statement (``interest_<item id>``): the statement read out in
    长辈模式, generated with the others at setup."""
    from kiosk.services.interests import bundled_interest_set

    return {f"interest_{item.id}": (f"{item.zh}。您喜欢吗？", f"{item.en}. Do you like it?")
            for item in bundled_interest_set().items}


class _PromptTable(Mapping[str, tuple[str, str]]):
    """The step prompts, and the 兴趣探索 statements' prompts added on first use (they come from
    the bundled interest set, which need not load before the home screen is drawn)."""

    def __init__(self, steps: dict[str, tuple[str, str]]) -> None:
        self._table = steps
        self._complete = False

    def _all(self) -> dict[str, tuple[str, str]]:
        if not self._complete:
            self._table = {**self._table, **_interest_item_prompts()}
            self._complete = True
        return self._table

    def __getitem__(self, key: str) -> tuple[str, str]:
        return self._all()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._table or key in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


#: key → (Mandarin, English): every step prompt, then ``interest_<item id>`` per statement
PROMPTS: Mapping[str, tuple[str, str]] = _PromptTable(_STEP_PROMPTS)


def sound_path(key: str, language: str) -> Path:
    """``assets/sounds/<zh_CN|en>/<key>.wav`` (may not exist)."""
    return SOUNDS_DIR / language / f"{key}.wav"


@dataclass
class VoicePrompter:
    """Decides whether and what to say; ``player(path, volume)`` plays a file (UI-provided)."""

    enabled: bool = True
    volume: float = 0.8
    language: str = "zh_CN"
    player: Callable[[Path, float], None] | None = None
    history: list[str] = field(default_factory=list)
    last_key: str = ""

    def say(self, key: str) -> bool:
        """Speak prompt ``key``; returns True if a file was handed to the player.

        Unknown keys raise ``KeyError`` (a programming error); a missing file only logs.
        """
        if key not in PROMPTS:
            raise KeyError(f"unknown voice prompt {key!r}")
        self.last_key = key
        if not self.enabled:
            return False
        self.history.append(key)
        if len(self.history) > 200:
            del self.history[:100]
        path = sound_path(key, self.language)
        if not path.exists():
            logger.warning("voice prompt %s has no audio file for %s", key, self.language)
            return False
        if self.player is not None:
            self.player(path, self.volume)
            return True
        return False

    def replay(self) -> bool:
        return self.say(self.last_key) if self.last_key else False
