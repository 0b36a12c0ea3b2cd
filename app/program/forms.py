from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..domain import program as rules
from ..formkit import MoneyField
from ..labels import choices

NUMBERS_HELP = _l("Application numbers of patents in the database, one per line or separated by semicolons.")


def _sections(keys, table):
    """One text area per section, named after the section key."""
    from ..labels import TABLES

    return {key: TextAreaField(TABLES[table][key], validators=[Optional(), Length(max=20000)]) for key in keys}


PlanForm = type("PlanForm", (FlaskForm,), {
    **_sections(rules.PLAN_SECTIONS, "plan_section"),
    "note": StringField(_l("What changed in this version"), validators=[Optional(), Length(max=300)]),
    "submit": SubmitField(_l("Save as a new version")),
})


class NavigationForm(FlaskForm):
    title = StringField(_l("Project title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Type (GB/T 39551-2020)"), choices=lambda: choices("nav_kind"))
    client_name = StringField(_l("Served (government body or innovator)"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=lambda: choices("project_status"))
    started_on = DateField(_l("Started on"), validators=[Optional()])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])
    deliverables = TextAreaField(_l("Deliverables"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Save"))


class ProductForm(FlaskForm):
    name = StringField(_l("Product"), validators=[DataRequired(), Length(max=200)])
    owner = StringField(_l("Owner (organisation name)"), validators=[DataRequired(), Length(max=200)])
    patents = TextAreaField(_l("Linked patents"), validators=[DataRequired(), Length(max=5000)],
                            description=NUMBERS_HELP)
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    product_revenue = MoneyField(_l("Product revenue in the year (yuan)"), validators=[Optional()])
    total_revenue = MoneyField(_l("Owner's total revenue in the year (yuan)"), validators=[Optional()])
    evidence = FileField(_l("Revenue share evidence (PDF, PNG or JPEG)"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=lambda: choices("product_status"))
    applied_on = DateField(_l("Applied on"), validators=[Optional()])
    identified_on = DateField(_l("Identified on"), validators=[Optional()])
    certificate_number = StringField(_l("Certificate number"), validators=[Optional(), Length(max=100)])
    submit = SubmitField(_l("Save"))


class PctForm(FlaskForm):
    applicant = StringField(_l("Applicant"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    pct_number = StringField(_l("PCT application number"), validators=[DataRequired(), Length(max=40)],
                             description=_l("Like PCT/CN2024/123456"))
    phase = SelectField(_l("Phase"), choices=lambda: choices("pct_phase"))
    country = StringField(_l("Office entered (national phase)"), validators=[Optional(), Length(max=10)],
                          description=_l("Two-letter code: US, EP, JP, KR …"))
    filed_on = DateField(_l("Filing or entry date"), validators=[DataRequired()])
    submit = SubmitField(_l("Save"))


class StandardForm(FlaskForm):
    code = StringField(_l("Standard number"), validators=[DataRequired(), Length(max=60)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    level = SelectField(_l("Level"), choices=lambda: choices("standard_level"))
    status = SelectField(_l("Status"), choices=lambda: choices("standard_status"))
    published_on = DateField(_l("Published on"), validators=[Optional()])
    patents = TextAreaField(_l("Essential patents"), validators=[Optional(), Length(max=5000)], description=NUMBERS_HELP)
    submit = SubmitField(_l("Save"))


class AwardForm(FlaskForm):
    name = StringField(_l("Award"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), choices=lambda: choices("award_level"))
    status = SelectField(_l("Status"), choices=lambda: choices("award_status"))
    awarded_on = DateField(_l("Awarded on"), validators=[Optional()])
    winner_name = StringField(_l("Winner"), validators=[Optional(), Length(max=200)])
    patent = StringField(_l("Patent (application number)"), validators=[Optional(), Length(max=40)])
    product_id = SelectField(_l("Or a patented product"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Save"))


# ---- services ---------------------------------------------------------------------------------


class FinancingForm(FlaskForm):
    kind = SelectField(_l("What you need"), choices=lambda: choices("financing_kind"))
    amount = MoneyField(_l("Amount (yuan)"), validators=[Optional()])
    patents = TextAreaField(_l("Patents offered (for a pledge loan or insurance)"), validators=[Optional(), Length(max=5000)],
                            description=NUMBERS_HELP)
    description = TextAreaField(_l("Describe the need"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Send the request"))


class OfferForm(FlaskForm):
    provider_name = StringField(_l("Bank, insurer or investor"), validators=[DataRequired(), Length(max=200)])
    provider_kind = SelectField(_l("Kind"), choices=lambda: choices("provider_kind"))
    amount = MoneyField(_l("Amount offered (yuan)"), validators=[Optional()])
    terms = TextAreaField(_l("Terms"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Add the offer"))


class WatchForm(FlaskForm):
    name = StringField(_l("Name of the watch"), validators=[DataRequired(), Length(max=200)])
    ipc_codes = StringField(_l("IPC codes or subclasses"), validators=[Optional(), Length(max=500)],
                            description=_l("E.g. H01M; C01B 32/184. A subclass covers every code under it."))
    competitors = TextAreaField(_l("Competitors"), validators=[Optional(), Length(max=2000)],
                                description=_l("Names as they appear among applicants, one per line."))
    submit = SubmitField(_l("Start watching"))


class DisputeForm(FlaskForm):
    kind = SelectField(_l("Kind of dispute"), choices=lambda: choices("dispute_kind"))
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=300)])
    counterparty = StringField(_l("Other party"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Ask for a consultation"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField(_l("Send the answer"))


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=lambda: choices("event_kind"))
    starts_at = DateTimeLocalField(_l("Starts at (Beijing time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Places (blank: no limit)"), validators=[Optional(), NumberRange(min=1, max=100000)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Publish the event"))


# ---- applications -----------------------------------------------------------------------------


class WindowForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()])
    closes_on = DateField(_l("Closes on (inclusive)"), validators=[DataRequired()])
    hours = StringField(_l("Working hours (Beijing time)"), default="09:00-11:30, 15:00-17:30",
                        validators=[Optional(), Length(max=200)], description=_l("Blank: all day."))
    weekdays_only = BooleanField(_l("Statutory working days only"), default=True,
                                 description=_l("Public holidays are closed and adjusted working days open, from the "
                                                "official holiday calendar."))
    closed_dates = TextAreaField(_l("Further closed days of the bureau"), validators=[Optional(), Length(max=2000)],
                                 description=_l("ISO dates such as 2022-09-12, separated by commas."))
    criteria = TextAreaField(_l("Scoring criteria"), validators=[Optional(), Length(max=5000)],
                             description=_l("One a line: name | maximum points | weight."))
    submit = SubmitField(_l("Save"))


class CriteriaForm(FlaskForm):
    criteria = TextAreaField(_l("Scoring criteria"), validators=[DataRequired(), Length(max=5000)],
                             description=_l("One a line: name | maximum points | weight."))
    submit = SubmitField(_l("Save the criteria"))


ApplicationForm = type("ApplicationForm", (FlaskForm,), {
    "proposed_name": StringField(_l("Proposed center name"), validators=[DataRequired(), Length(max=200)]),
    "industry": SelectField(_l("Industry"), choices=lambda: choices("industry")),
    "contact_person": StringField(_l("Contact person"), validators=[Optional(), Length(max=100)]),
    "phone": StringField(_l("Phone"), validators=[Optional(), Length(max=40)]),
    "legal_representative": StringField(_l("Legal representative of the applicant"),
                                        validators=[Optional(), Length(max=100)]),
    "partners": TextAreaField(_l("Co-applicants (one a line)"), validators=[Optional(), Length(max=5000)]),
    "capital_plan": TextAreaField(_l("Capital plan"), validators=[Optional(), Length(max=20000)]),
    "targets": TextAreaField(_l("Quantified task targets"), validators=[Optional(), Length(max=20000)]),
    **_sections(rules.FEASIBILITY_SECTIONS, "feasibility_section"),
    "submit": SubmitField(_l("Save the draft")),
})


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=lambda: choices("document_kind"))
    file = FileField(_l("File (PDF, PNG or JPEG)"), validators=[DataRequired()])
    submit = SubmitField(_l("Upload"))


class AssignForm(FlaskForm):
    expert_id = SelectField(_l("Expert"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Assign"))


class ApproveForm(FlaskForm):
    approval_date = DateField(_l("Approval date (project year 1 starts here)"), validators=[DataRequired()])
    task_book_signed_on = DateField(_l("Task book signed on"), validators=[DataRequired()])
    center_org_id = SelectField(_l("Center company"), coerce=int, validate_choice=False)
    new_org_name = StringField(_l("Or found it now: company name"), validators=[Optional(), Length(max=200)])
    new_org_credit_code = StringField(_l("Its unified social credit code"), validators=[Optional(), Length(max=24)])
    custodian_org_id = SelectField(_l("Custodian (its custodian staff see the center)"), coerce=int,
                                   validate_choice=False)
    custodian = StringField(_l("Custodian"), validators=[Optional(), Length(max=200)])
    equity = MoneyField(_l("Equity injected (yuan)"), validators=[Optional()])
    note = TextAreaField(_l("Decision note"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Approve and create the center"))


class RejectForm(FlaskForm):
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Reject"))


class TaskBookForm(FlaskForm):
    signed_on = DateField(_l("Task book signed on"), validators=[DataRequired()])
    custodian = StringField(_l("Custodian"), validators=[Optional(), Length(max=200)])
    equity = MoneyField(_l("Equity injected (yuan)"), validators=[Optional()])
    submit = SubmitField(_l("Record the task book"))


class EquityForm(FlaskForm):
    signed_on = DateField(_l("Equity-investment agreement signed on"), validators=[DataRequired()])
    submit = SubmitField(_l("Record"))


class ExitCaseForm(FlaskForm):
    reason = SelectField(_l("Exit case"), choices=lambda: choices("exit_reason"))
    note = TextAreaField(_l("Facts"), validators=[DataRequired(), Length(max=10000)])
    opened_on = DateField(_l("Opened on"), validators=[Optional()])
    submit = SubmitField(_l("Open the case"))


class CloseCaseForm(FlaskForm):
    note = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=10000)])
    submit = SubmitField(_l("Close the case"))


def score_form(criteria, data=None):
    """One score and one comment field per criterion of the window."""
    fields = {}
    for c in criteria:
        fields[f"c_{c.id}"] = IntegerField(c.name, validators=[InputRequired(), NumberRange(min=0, max=c.max_score)],
                                           description=_l("0 to %(n)s points", n=c.max_score))
        fields[f"comment_{c.id}"] = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    fields["submit"] = SubmitField(_l("Submit my scores"))
    return type("ScoreForm", (FlaskForm,), fields)(data=data)


# ---- a center's life: conditions, first review, diligence, notice, after approval --------------


class ConditionForm(FlaskForm):
    key = SelectField(_l("Condition"), choices=lambda: choices("application_condition"))
    statement = TextAreaField(_l("How the applicant meets it"), validators=[DataRequired(), Length(max=5000)])
    file = FileField(_l("Proof (PDF, PNG or JPEG)"), validators=[Optional()],
                     description=_l("A new file replaces the one attached before."))
    submit = SubmitField(_l("Save the condition"))


class DefenceForm(FlaskForm):
    scheduled_at = DateTimeLocalField(_l("Oral defence on (Beijing time)"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Schedule the defence"))


class AttendanceForm(FlaskForm):
    attendance = TextAreaField(_l("Who attended (applicant and panel)"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Record the attendance"))


class DefenceScoreForm(FlaskForm):
    score = IntegerField(_l("Defence score (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save my defence score"))


class ReviewDecisionForm(FlaskForm):
    passed = SelectField(_l("Decision"), choices=lambda: [("1", _l("On the list: go on to due diligence")),
                                                          ("0", _l("Not on the list: reject"))])
    note = TextAreaField(_l("Reason (required when rejecting)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Record the decision"))


class DiligenceForm(FlaskForm):
    firm = StringField(_l("Third party (firm)"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Appoint"))


class DiligenceReportForm(FlaskForm):
    file = FileField(_l("Report (PDF, PNG or JPEG)"), validators=[DataRequired()])
    submit = SubmitField(_l("Upload the report"))


class DiligenceOutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=lambda: [c for c in choices("diligence_outcome") if c[0] != "pending"])
    findings = TextAreaField(_l("Findings"), validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField(_l("Record the outcome"))


class NoticeForm(FlaskForm):
    published_on = DateField(_l("Published on"), validators=[DataRequired()])
    working_days = IntegerField(_l("Notice period (working days)"), default=5,
                                validators=[InputRequired(), NumberRange(min=5, max=30)])
    text = TextAreaField(_l("Text of the notice"), validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField(_l("Publish the notice"))


class ObjectionForm(FlaskForm):
    name = StringField(_l("Your name or organisation"), validators=[DataRequired(), Length(max=100)])
    contact = StringField(_l("Phone or e-mail"), validators=[DataRequired(), Length(max=200)])
    text = TextAreaField(_l("The objection and its facts"), validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField(_l("Send the objection"))


class ObjectionAnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=10000)])
    upheld = BooleanField(_l("The objection is upheld"))
    submit = SubmitField(_l("Answer"))


class FalseMaterialForm(FlaskForm):
    note = TextAreaField(_l("What was false"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Disqualify and record in the credit file"))


class InjectionForm(FlaskForm):
    amount = MoneyField(_l("Amount injected (yuan)"), validators=[DataRequired()])
    on = DateField(_l("Injected on"), validators=[DataRequired()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record the injection"))


class FundReportForm(FlaskForm):
    year = IntegerField(_l("Project year"), validators=[InputRequired(), NumberRange(min=1, max=5)])
    used = MoneyField(_l("Funds used in the year (yuan)"), validators=[InputRequired()])
    summary = TextAreaField(_l("How the funds were used"), validators=[DataRequired(), Length(max=20000)])
    file = FileField(_l("The report (PDF, PNG or JPEG)"), validators=[Optional()])
    submit = SubmitField(_l("File the report"))


class FundReviewForm(FlaskForm):
    verdict = SelectField(_l("Review"), choices=lambda: [
        ("ok", _l("Funds used as agreed")), ("misuse", _l("Misuse: terminate, withdraw the equity, list and ban"))])
    note = TextAreaField(_l("Review note (the facts, when misused)"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Record the review"))


class AcceptanceDocumentForm(FlaskForm):
    kind = SelectField(_l("Document"), choices=lambda: choices("acceptance_document"))
    file = FileField(_l("File (PDF, PNG or JPEG)"), validators=[DataRequired()])
    submit = SubmitField(_l("Upload"))


class AcceptanceForm(FlaskForm):
    summary = TextAreaField(_l("Work summary of the five years"), validators=[DataRequired(), Length(max=20000)])
    submit = SubmitField(_l("Submit for acceptance"))


class AcceptanceScoreForm(FlaskForm):
    score = IntegerField(_l("Acceptance score (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save my score"))


class AcceptanceDecisionForm(FlaskForm):
    passed = SelectField(_l("Outcome"), choices=lambda: [("1", _l("Passed")), ("0", _l("Not passed"))])
    note = TextAreaField(_l("Outcome note"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Record the outcome"))
