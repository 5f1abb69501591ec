"""Demo accounts for a local site. Only this command creates them; production never runs it."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Department, User
from accounts.roles import HR, LEARNER, TRAINER, assign_role, ensure_roles

DEMO_PASSWORD = "courtesy-demo-2026"  # noqa: S105 - documented demo password, local sites only
DEMO_ACCOUNTS = [
    # email, name, role, department code
    ("learner@demo.courtesy", "李小满", LEARNER, "service-1"),
    ("trainer@demo.courtesy", "王老师", TRAINER, "training"),
    ("hr@demo.courtesy", "陈人事", HR, "hr"),
]
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
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
        for email, _name, role, _dept in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<8} {email}")
