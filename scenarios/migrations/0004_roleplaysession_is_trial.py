# A trainer's trial calls from the studio ("play as learner") are kept apart from learners' calls.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scenarios', '0003_roleplays'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='roleplaysession',
            name='one_active_roleplay_session',
        ),
        migrations.AddField(
            model_name='roleplaysession',
            name='is_trial',
            field=models.BooleanField(default=False, verbose_name='trial call'),
        ),
        migrations.AddConstraint(
            model_name='roleplaysession',
            constraint=models.UniqueConstraint(condition=models.Q(('is_trial', False), ('status', 'active')), fields=('user', 'roleplay'), name='one_active_roleplay_session'),
        ),
        migrations.AddConstraint(
            model_name='roleplaysession',
            constraint=models.UniqueConstraint(condition=models.Q(('is_trial', True), ('status', 'active')), fields=('user', 'roleplay'), name='one_active_roleplay_trial'),
        ),
    ]
