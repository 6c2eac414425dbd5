"""Input shapes for assistance. The visit form is built for a phone: one column, sensible
defaults, one inline follow-up row."""

from datetime import date
from decimal import Decimal
from typing import cast

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baotou_carbon.accounts.models import User
from baotou_carbon.core.checkpoints import Checkpoint
from baotou_carbon.core.files import MultipleFileField
from baotou_carbon.core.forms import ServiceKwargsMixin, form_helper
from baotou_carbon.core.years import FIRST_YEAR, LAST_YEAR
from enterprises.models import District, Enterprise, Industry

from .models import (
    MAX_UPLOAD_BYTES,
    UPLOAD_EXTENSIONS,
    UPLOAD_MESSAGES,
    Attendee,
    Invitation,
    Measure,
    Training,
    TrainingMode,
    TrainingTopic,
    Visit,
    VisitStatus,
)
from .permissions import bureau_users, default_inspectors, is_visit_staff_by_default
from .selectors import draw_pool
from .services import FollowUpInput

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _helper(*fields, submit=None) -> FormHelper:
    # Big touch targets: these forms are filled in on phones during visits.
    return form_helper(*fields, submit=submit, button_class="btn btn-primary btn-lg")


def _choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


def active_enterprises():
    return Enterprise.objects.filter(is_active=True).order_by("name_zh", "pk")


def _uploads(label, *, required: bool = False) -> MultipleFileField:
    """Several photos or files at once, each checked as the services check it."""
    return MultipleFileField(
        label=label,
        required=required,
        accepted=UPLOAD_EXTENSIONS,
        max_bytes=MAX_UPLOAD_BYTES,
        messages=UPLOAD_MESSAGES,
    )


class EnterpriseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name_zh


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


# Visits --------------------------------------------------------------------------------------


class FollowUpForm(forms.Form):
    action = forms.CharField(
        label=_("Follow-up action"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    enterprise = forms.ModelChoiceField(
        label=_("Owed by"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=_("(the visited enterprise)"),
        widget=forms.Select(attrs={"data-owner-select": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "enterprise").queryset = active_enterprises()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not any(data.get(n) for n in ("action", "owner", "due_on")):
            return data  # an untouched row: no follow-up
        if not (data.get("action") or "").strip():
            self.add_error("action", _("Describe the action to take."))
        if not (data.get("owner") or "").strip():
            self.add_error("owner", _("Name the owner of this follow-up."))
        if not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Give a due date."))
        return data

    def as_input(self) -> FollowUpInput | None:
        data = self.cleaned_data
        if not data or not (data.get("action") or "").strip():
            return None
        return FollowUpInput(
            action=data["action"].strip(),
            owner=data["owner"].strip(),
            due_on=data["due_on"],
            enterprise=data.get("enterprise"),
        )


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=1, max_num=20)


class VisitForm(forms.ModelForm):
    """A visit and its new follow-ups (an inline formset validated with it)."""

    enterprises = EnterpriseChoiceField(
        label=_("Enterprises"),
        queryset=Enterprise.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one enterprise.")},
    )
    staff = StaffChoiceField(
        label=_("Staff"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one staff member.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Checkpoint.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    uploads = _uploads(_("Photos and files"))

    class Meta:
        model = Visit
        fields = ["mode", "status", "started_at", "occasion", "topics", "problems", "advice"]
        widgets = {
            "mode": forms.RadioSelect,
            "started_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, data=None, files=None, *, user=None, **kwargs):
        super().__init__(data, files, **kwargs)
        _choice_field(self, "enterprises").queryset = active_enterprises()
        _choice_field(self, "staff").queryset = bureau_users()
        started_at = cast(forms.DateTimeField, self.fields["started_at"])
        started_at.input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [
            (VisitStatus.DONE, VisitStatus.DONE.label),
            (VisitStatus.PLANNED, VisitStatus.PLANNED.label),
        ] + ([(VisitStatus.CANCELLED, VisitStatus.CANCELLED.label)] if self.instance.pk else [])
        if self.instance.pk:
            self.initial.setdefault("enterprises", list(self.instance.enterprises.all()))
            self.initial.setdefault("staff", list(self.instance.staff.all()))
        else:
            self.initial.setdefault(
                "started_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            if user is not None and is_visit_staff_by_default(user):
                self.initial.setdefault("staff", [user.pk])
        self.follow_ups = FollowUpFormSet(self.data or None, prefix="fu")

    def is_valid(self) -> bool:
        form_valid = super().is_valid()
        follow_ups_valid = self.follow_ups.is_valid()
        if form_valid and follow_ups_valid:
            self._check_follow_ups()
        return (
            form_valid
            and follow_ups_valid
            and not self.follow_ups.total_error_count()
            and not self.errors
        )

    def _check_follow_ups(self) -> None:
        enterprises = list(self.cleaned_data["enterprises"])
        visit_day = timezone.localtime(self.cleaned_data["started_at"]).date()
        inputs = []
        for form in self.follow_ups.forms:
            item = form.as_input()
            if item is None:
                continue
            if item.enterprise is not None and item.enterprise not in enterprises:
                form.add_error("enterprise", _("Choose one of the visited enterprises."))
            elif item.enterprise is None and len(enterprises) > 1:
                form.add_error("enterprise", _("Several enterprises were visited: choose one."))
            if item.due_on < visit_day:
                form.add_error("due_on", _("The due date cannot be before the visit."))
            inputs.append(item)
        self.cleaned_data["follow_ups"] = inputs

    def has_follow_up_errors(self) -> bool:
        return bool(self.follow_ups.total_error_count())

    def service_kwargs(self) -> dict:
        """visit_create's and visit_update's arguments: the visit, its members, its new
        follow-ups and its uploads as `files`."""
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "status": data["status"],
            "started_at": data["started_at"],
            "occasion": data["occasion"],
            "topics": list(data.get("topics") or []),
            "problems": data.get("problems", ""),
            "advice": data.get("advice", ""),
            "enterprises": list(data["enterprises"]),
            "staff": list(data["staff"]),
            "follow_ups": data.get("follow_ups", []),
            "files": data.get("uploads", []),
        }


class AnswerForm(ServiceKwargsMixin, forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write an answer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("answer", submit=_("Send the answer"))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    """The allowances (t) a follow-up corrected and the data year they count for: both, or
    neither to clear them. One per follow-up on the visit page, each with its own prefix."""

    corrected_t = forms.DecimalField(
        label=_("Allowances corrected (t)"),
        required=False,
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("-1000000000"),
        max_value=Decimal("1000000000"),
        help_text=_("The allowance gain the corrected error brought; negative if it cost."),
    )
    corrected_year = forms.IntegerField(
        label=_("Data year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "min_value": _("Enter a reporting year from %(limit_value)s."),
            "max_value": _("Enter a reporting year up to %(limit_value)s."),
        },
    )

    def __init__(self, *args, follow_up, **kwargs):
        kwargs.setdefault("prefix", f"correction-{follow_up.pk}")
        kwargs.setdefault(
            "initial",
            {"corrected_t": follow_up.corrected_t, "corrected_year": follow_up.corrected_year},
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or {}
        tonnes, year = data.get("corrected_t"), data.get("corrected_year")
        if self.errors:
            return data
        if tonnes is not None and year is None:
            self.add_error("corrected_year", _("Say which data year the correction counts for."))
        elif year is not None and tonnes is None:
            self.add_error("corrected_t", _("Enter the tonnes corrected, or clear the year."))
        return data

    def service_kwargs(self) -> dict:
        return {
            "corrected_t": self.cleaned_data["corrected_t"],
            "corrected_year": self.cleaned_data["corrected_year"],
        }


class VisitFileForm(forms.Form):
    uploads = _uploads(_("Photos and files"), required=True)


# Draws ---------------------------------------------------------------------------------------


class DrawForm(forms.Form):
    """A draw's pools and counts. The seed is not chosen by staff: a chosen seed could be
    tried until it gives a wanted result; it is generated and published instead."""

    title = forms.CharField(label=_("Title"), max_length=200)
    district = forms.ChoiceField(
        label=_("District"), choices=[("", _("All districts")), *District.choices], required=False
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All industries")), *Industry.choices], required=False
    )
    listed_year = forms.IntegerField(
        label=_("Key emitter in year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    enterprise_count = forms.IntegerField(
        label=_("Enterprises to draw"), min_value=1, max_value=500, initial=3
    )
    inspectors = StaffChoiceField(
        label=_("Inspector pool"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the inspectors who may be drawn.")},
    )
    inspectors_per_enterprise = forms.IntegerField(
        label=_("Inspectors per enterprise"), min_value=1, max_value=10, initial=2
    )
    planned_on = forms.DateField(
        label=_("Planned inspection date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "inspectors").queryset = bureau_users()
        if not self.is_bound and "inspectors" not in self.initial:
            self.initial["inspectors"] = list(default_inspectors().values_list("pk", flat=True))
        self.helper = _helper(
            "title",
            "district",
            "industry",
            "listed_year",
            "enterprise_count",
            "inspectors",
            "inspectors_per_enterprise",
            "planned_on",
            *self.extra_fields(),
            submit=_("Draw and publish"),
        )

    def extra_fields(self) -> list[str]:
        return []

    def clean_planned_on(self) -> date:
        planned_on = self.cleaned_data["planned_on"]
        if planned_on < timezone.localdate():
            raise ValidationError(_("A planned inspection cannot be in the past."))
        return planned_on

    def clean(self):
        super().clean()
        data = self.cleaned_data
        district, industry = data.get("district") or "", data.get("industry") or ""
        listed_year = data.get("listed_year")
        pool = list(
            draw_pool(district=district, industry=industry, listed_year=listed_year).values_list(
                "pk", flat=True
            )
        )
        pool_filter = {"district": district, "industry": industry, "listed_year": listed_year}
        data["pool_filter"] = {k: v for k, v in pool_filter.items() if v}
        data["enterprise_pool"] = pool
        count = data.get("enterprise_count")
        if not pool:
            self.add_error(None, _("No active enterprise matches this filter."))
        elif count and count > len(pool):
            self.add_error(
                "enterprise_count",
                _("The pool holds only %(n)d enterprises.") % {"n": len(pool)},
            )
        inspectors = data.get("inspectors")
        per = data.get("inspectors_per_enterprise")
        if inspectors is not None and per and per > len(inspectors):
            self.add_error(
                "inspectors_per_enterprise",
                _("The inspector pool holds only %(n)d people.") % {"n": len(inspectors)},
            )
        return data

    def service_kwargs(self) -> dict:
        """draw_create's arguments: the pools as the form resolved them, and the counts."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "pool_filter": data["pool_filter"],
            "enterprise_pool": data["enterprise_pool"],
            "inspector_pool": [u.pk for u in data["inspectors"]],
            "enterprise_count": data["enterprise_count"],
            "inspectors_per_enterprise": data["inspectors_per_enterprise"],
            "planned_on": data["planned_on"],
        }


class RedrawForm(DrawForm):
    reason = forms.CharField(
        label=_("Reason for the redraw"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the redraw.")},
    )

    def extra_fields(self) -> list[str]:
        return ["reason"]

    def service_kwargs(self) -> dict:
        """draw_redraw's arguments: a new draw's, and the reason."""
        return {**super().service_kwargs(), "reason": self.cleaned_data["reason"]}


# Trainings -----------------------------------------------------------------------------------


class TrainingForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=TrainingTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    invited = EnterpriseChoiceField(
        label=_("Invited enterprises"),
        queryset=Enterprise.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Invite at least one enterprise.")},
    )
    uploads = _uploads(_("Materials"))

    class Meta:
        model = Training
        fields = ["title", "mode", "held_on", "location", "experts", "topics", "feedback"]
        widgets = {
            "mode": forms.RadioSelect,
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "experts": forms.Textarea(attrs={"rows": 2}),
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice_field(self, "invited").queryset = active_enterprises()
        self.fields["mode"].initial = TrainingMode.ON_SITE
        if self.instance.pk:
            self.initial.setdefault("invited", list(self.instance.invited.all()))

    def clean_experts(self) -> str:
        experts = "\n".join(
            line.strip() for line in self.cleaned_data["experts"].splitlines() if line.strip()
        )
        if not experts:
            raise ValidationError(_("Name at least one expert."))
        return experts

    def service_kwargs(self) -> dict:
        """training_save's arguments: the training, its topics and invited enterprises, and its
        uploads as `files`."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "mode": data["mode"],
            "held_on": data["held_on"],
            "location": data.get("location", ""),
            "experts": data["experts"],
            "feedback": data.get("feedback", ""),
            "topics": list(data["topics"]),
            "invited": list(data["invited"]),
            "files": data.get("uploads", []),
        }


class InvitationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.enterprise.name_zh


class AttendeeForm(forms.ModelForm):
    invitation = InvitationChoiceField(label=_("Enterprise"), queryset=Invitation.objects.none())

    class Meta:
        model = Attendee
        fields = ["invitation", "name", "position", "attended", "rating", "comment"]


class BaseAttendeeFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, training: Training, **kwargs):
        self.training = training
        kwargs.setdefault("queryset", Attendee.objects.filter(invitation__training=training))
        super().__init__(*args, **kwargs)
        invitations = Invitation.objects.filter(training=training).select_related("enterprise")
        for form in self.forms:
            _choice_field(form, "invitation").queryset = invitations

    @property
    def empty_form(self):
        form = super().empty_form
        _choice_field(form, "invitation").queryset = Invitation.objects.filter(
            training=self.training
        ).select_related("enterprise")
        return form


AttendeeFormSet = forms.modelformset_factory(
    Attendee, form=AttendeeForm, formset=BaseAttendeeFormSet, extra=3, can_delete=True
)


class TrainingFileForm(forms.Form):
    uploads = _uploads(_("Materials"), required=True)


# Targets and progress ----------------------------------------------------------------------


class TargetsForm(forms.Form):
    """One target per measure for a year; an empty field means no target."""

    def __init__(self, *args, year: int, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        for measure in Measure:
            self.fields[measure.value] = forms.IntegerField(
                label=measure.label, min_value=0, max_value=100_000, required=False
            )
            if measure.value in current:
                self.initial.setdefault(measure.value, current[measure.value])
        self.helper = _helper(*Measure.values)

    def values(self) -> dict[str, int | None]:
        return {m: self.cleaned_data.get(m) for m in Measure.values}

    def service_kwargs(self) -> dict:
        """targets_save's arguments: the year and its target per measure."""
        return {"year": self.year, "values": self.values()}


class ProgressForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    since = forms.DateField(
        label=_("Since"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        help_text=_("1 January of the “as of” year when empty."),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        as_of = data.get("as_of") or timezone.localdate()
        since = data.get("since")
        if since and since > as_of:
            self.add_error("since", _("“Since” must not be after “as of”."))
        elif since and (as_of - since).days > 5 * 366:
            self.add_error("since", _("Choose a period of at most five years."))
        data["as_of"] = as_of
        return data
