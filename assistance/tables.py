import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from baotou_carbon.core.checkpoints import checkpoint_labels

from .models import Draw, FollowUp, Training, Visit

# Secondary columns: shown from the md breakpoint up, so a phone keeps date, enterprises,
# status and overdue follow-ups on screen.
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class VisitTable(tables.Table):
    started_at = tables.DateTimeColumn(
        verbose_name=_("Date and time"),
        format="Y-m-d H:i",
        linkify=lambda record: record.get_absolute_url(),
    )
    enterprises = tables.Column(verbose_name=_("Enterprises"), empty_values=(), orderable=False)
    # Declared only to hide them on a phone; the header stays the model field's lazy label
    # (django-tables2 would otherwise fix it in the language active at import).
    mode = tables.Column(
        verbose_name=capfirst(Visit._meta.get_field("mode").verbose_name), attrs=WIDE_ONLY
    )
    occasion = tables.Column(
        verbose_name=capfirst(Visit._meta.get_field("occasion").verbose_name), attrs=WIDE_ONLY
    )
    staff = tables.Column(
        verbose_name=_("Staff"), empty_values=(), orderable=False, attrs=WIDE_ONLY
    )
    topics = tables.Column(verbose_name=_("Topics"), orderable=False, visible=False)
    open_follow_ups = tables.Column(
        verbose_name=_("Open follow-ups"),
        attrs={
            "th": {"class": "d-none d-md-table-cell"},
            "td": {"class": "text-end d-none d-md-table-cell"},
        },
    )
    overdue_follow_ups = tables.Column(verbose_name=_("Overdue"))

    class Meta:
        model = Visit
        fields = [
            "started_at",
            "enterprises",
            "mode",
            "status",
            "occasion",
            "staff",
            "topics",
            "open_follow_ups",
            "overdue_follow_ups",
        ]
        order_by = "-started_at"
        empty_text = _("No visit matches these filters.")

    def render_enterprises(self, record):
        return ", ".join(e.name_zh for e in record.enterprises.all())

    def render_staff(self, record):
        return ", ".join(str(u) for u in record.staff.all())

    def render_topics(self, value):
        return "; ".join(checkpoint_labels(value))

    def render_overdue_follow_ups(self, value):
        if not value:
            return "—"
        return format_html(
            '<span class="badge text-bg-danger" data-testid="overdue">{} {}</span>',
            value,
            _("overdue"),
        )

    def value_overdue_follow_ups(self, value):
        return value


class FollowUpTable(tables.Table):
    due_on = tables.DateColumn(verbose_name=_("Due date"), format="Y-m-d")
    action = tables.Column(
        verbose_name=_("Action"),
        linkify=lambda record: record.visit.get_absolute_url(),
        attrs={"td": {"style": "min-width: 14rem"}},
    )
    enterprise = tables.Column(accessor="enterprise__name_zh", verbose_name=_("Owed by"))
    visit = tables.DateTimeColumn(
        accessor="visit__started_at", verbose_name=_("Visit"), format="Y-m-d"
    )

    class Meta:
        model = FollowUp
        fields = ["due_on", "status", "action", "owner", "enterprise", "visit"]
        empty_text = _("No follow-up matches these filters.")
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}

    def render_status(self, record, value):
        if record.is_overdue:
            return format_html(
                '{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>',
                value,
                _("overdue"),
            )
        return value

    def value_status(self, record, value):
        return value


class DrawTable(tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("Title"))
    drawn_at = tables.DateTimeColumn(verbose_name=_("Drawn at"), format="Y-m-d H:i")
    is_superseded = tables.BooleanColumn(verbose_name=_("Replaced by a redraw"))
    supersedes = tables.Column(verbose_name=_("Redraw of"), linkify=True)

    class Meta:
        model = Draw
        fields = [
            "title",
            "drawn_at",
            "planned_on",
            "enterprise_count",
            "inspectors_per_enterprise",
            "seed",
            "drawn_by",
            "supersedes",
            "is_superseded",
        ]
        order_by = "-drawn_at"
        empty_text = _("No draw has been published yet.")


class TrainingTable(tables.Table):
    title = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("Title"))
    topics = tables.Column(verbose_name=_("Topics"), empty_values=(), orderable=False)
    invited_count = tables.Column(verbose_name=_("Invited"), attrs={"td": {"class": "text-end"}})
    attendee_count = tables.Column(verbose_name=_("Attendees"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Training
        fields = ["held_on", "title", "mode", "topics", "invited_count", "attendee_count"]
        exclude = ["has_attendance"]
        order_by = "-held_on"
        empty_text = _("No training matches these filters.")

    def render_topics(self, record):
        return format_html_join("", "<div>{}</div>", ((str(t),) for t in record.topics.all()))

    def value_topics(self, record):
        return "; ".join(str(t) for t in record.topics.all())
