"""The legal status of an application as a state machine (django_fsm, protected field).

Only these transitions move `DisclosureRequest.status`; only the services in
`workflows/requests.py` call them, inside the flow step that causes them. Values are
the `RequestStatus` codes (kept as literals here to avoid a circular import)."""
from django_fsm import transition

SUBMITTED, REGISTERED, AWAITING_SUPPLEMENT, IN_PROGRESS = "submitted", "registered", "awaiting_supplement", "in_progress"
CONSULTING, AWAITING_FEE, CONFIDENTIALITY_REVIEW = "consulting", "awaiting_fee", "confidentiality_review"
DRAFTING, SIGN_OFF, ISSUED, DELIVERED, ARCHIVED = "drafting", "sign_off", "issued", "delivered", "archived"
WITHDRAWN, CLOSED = "withdrawn", "closed"

# Withdrawal is possible at any point before the reply is issued (regulation §2).
BEFORE_REPLY = [SUBMITTED, REGISTERED, AWAITING_SUPPLEMENT, IN_PROGRESS, CONSULTING, AWAITING_FEE,
                CONFIDENTIALITY_REVIEW, DRAFTING, SIGN_OFF]


class RequestTransitions:
    @transition(field="status", source=SUBMITTED, target=REGISTERED)
    def register(self):
        """Receipt confirmed (Art. 31), registration number given, clock started."""

    @transition(field="status", source=REGISTERED, target=AWAITING_SUPPLEMENT)
    def ask_supplement(self):
        """Supplement notice sent (Art. 30)."""

    @transition(field="status", source=AWAITING_SUPPLEMENT, target=REGISTERED)
    def receive_supplement(self):
        """Supplemented application received: the clock restarts."""

    @transition(field="status", source=AWAITING_SUPPLEMENT, target=CLOSED)
    def lapse_supplement(self):
        """No supplement in time: deemed withdrawn (其他处理 1)."""

    @transition(field="status", source=REGISTERED, target=IN_PROGRESS)
    def accept(self):
        """Complete: routed to a department."""

    @transition(field="status", source=IN_PROGRESS, target=CONSULTING)
    def consult_third_party(self):
        """Letter to a third party (Art. 32): the clock is paused."""

    @transition(field="status", source=IN_PROGRESS, target=CONSULTING)
    def consult_other_agency(self):
        """Letter to another agency (Art. 34): the clock is paused."""

    @transition(field="status", source=CONSULTING, target=IN_PROGRESS)
    def end_consultation(self):
        """The third party's or other agency's answer recorded: the clock resumes."""

    @transition(field="status", source=IN_PROGRESS, target=AWAITING_FEE)
    def ask_fee(self):
        """Fee notice sent (Art. 42): treated as a pause."""

    @transition(field="status", source=AWAITING_FEE, target=IN_PROGRESS)
    def fee_paid(self):
        """Fee paid: the clock resumes."""

    @transition(field="status", source=AWAITING_FEE, target=CLOSED)
    def lapse_fee(self):
        """Fee not paid in time: deemed withdrawn (其他处理 2)."""

    @transition(field="status", source=IN_PROGRESS, target=CONFIDENTIALITY_REVIEW)
    def determine(self):
        """Outcome decided per item; goes to confidentiality review (Art. 17)."""

    @transition(field="status", source=CONFIDENTIALITY_REVIEW, target=IN_PROGRESS)
    def send_back(self):
        """The confidentiality reviewer sends it back with reasons."""

    @transition(field="status", source=CONFIDENTIALITY_REVIEW, target=DRAFTING)
    def clear_confidentiality(self):
        """Confidentiality review passed: the reply may be drafted."""

    @transition(field="status", source=DRAFTING, target=SIGN_OFF)
    def submit_reply(self):
        """Draft reply submitted for sign-off (审签)."""

    @transition(field="status", source=SIGN_OFF, target=DRAFTING)
    def return_reply(self):
        """Person in charge returns the draft with comments."""

    @transition(field="status", source=SIGN_OFF, target=ISSUED)
    def issue(self):
        """Signed and issued."""

    @transition(field="status", source=ISSUED, target=DELIVERED)
    def deliver(self):
        """Delivery recorded (送达): the reply counts as made on that day."""

    @transition(field="status", source=DELIVERED, target=ARCHIVED)
    def archive(self):
        """Filed; read-only from now on."""

    @transition(field="status", source=BEFORE_REPLY, target=WITHDRAWN)
    def withdraw(self):
        """The applicant withdrew before the reply."""
