"""Demo accounts for a local site. Only this command creates them; production never runs it."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Cohort, Department, User
from accounts.roles import HR, LEARNER, TRAINER, assign_role, ensure_roles

DEMO_PASSWORD = "courtesy-demo-2026"  # noqa: S105 - documented demo password, local sites only
DEMO_ACCOUNTS = [
    # email, name, role, department code
    ("learner@demo.courtesy", "李小满", LEARNER, "service-1"),
    ("trainer@demo.courtesy", "王老师", TRAINER, "training"),
    ("hr@demo.courtesy", "陈人事", HR, "hr"),
]
DEMO_COHORT = "演示批次"
# The demo learner is a new hire with the Chinese certification to earn (when it is loaded).
DEMO_TRACK = "phone-etiquette-zh-level-1"
DEMO_DEPARTMENTS = [
    ("service-1", "客服一部"),
    ("service-2", "客服二部"),
    ("training", "培训部"),
    ("hr", "人力资源部"),
]


class Command(BaseCommand):
    help = "Create the demo departments and the learner, trainer and HR demo accounts."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        ensure_roles()
        departments = {
            code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in DEMO_DEPARTMENTS
        }
        for email, name, role, department in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": name, "department": departments[department]}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            assign_role(user, role)
            if role != LEARNER:
                assign_role(user, LEARNER)
            else:
                self.enrol_new_hire(user)
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for email, _name, role, _dept in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<8} {email}")

    def enrol_new_hire(self, user: User) -> None:
        """What HR's enrolment would do for the demo learner, so the status board has a row."""
        from certificates.models import Assignment, Track

        track = Track.objects.filter(slug=DEMO_TRACK).first()
        if track is None or Assignment.objects.filter(user=user, track=track).exists():
            return
        hired = timezone.localdate() - timedelta(days=10)
        user.hire_date = user.hire_date or hired
        user.cohort = user.cohort or Cohort.objects.get_or_create(name=DEMO_COHORT)[0]
        user.save(update_fields=["hire_date", "cohort"])
        Assignment.objects.create(
            user=user, track=track, due_date=user.hire_date + timedelta(days=track.due_days)
        )
