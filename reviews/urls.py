from django.urls import path

from reviews import pool_views, question_views, views

app_name = "reviews"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rondes/nieuw/", views.round_create, name="round-create"),
    path("rondes/<int:pk>/", views.round_detail, name="round"),
    path("rondes/<int:pk>/sluiten/", views.round_close, name="round-close"),
    path("rondes/<int:pk>/criteria/", views.round_criteria, name="round-criteria"),
    path("indieningen/<int:pk>/", views.submission_detail, name="submission"),
    path("indieningen/<int:pk>/beoordelaars/", views.submission_assign, name="assign"),
    path("indieningen/<int:pk>/advies/", views.advice_edit, name="advice"),
    path("indieningen/<int:pk>/advies/publiceren/", views.advice_publish, name="advice-publish"),
    path("indieningen/<int:pk>/vragen/", question_views.question_ask, name="question-ask"),
    path("vragen/<int:pk>/", question_views.question_open, name="question"),
    path("vragen/<int:pk>/versturen/", question_views.question_send, name="question-send"),
    path("vragen/<int:pk>/niet-versturen/", question_views.question_dismiss, name="question-dismiss"),
    path("vragen/<int:pk>/beantwoorden/", question_views.question_answer, name="question-answer"),
    path("vragen/<int:pk>/bijlage/", question_views.question_attachment, name="question-attachment"),
    path("mijn-beoordelingen/", views.my_assignments, name="my-assignments"),
    path("beoordelingen/<int:pk>/", views.assignment_detail, name="assignment"),
    path("beoordelingen/<int:pk>/verlengen/", views.assignment_extend, name="assignment-extend"),
    path("beoordelingen/<int:pk>/heropenen/", views.assignment_reopen, name="assignment-reopen"),
    path("agendas/<int:pk>/stap/<slug:action>/", views.agenda_transition, name="transition"),
    path("agendas/<int:pk>/instemmen/", views.endorse, name="endorse"),
    path("adviezen/", views.public_advice, name="public-advice"),
    path("pool/", pool_views.pool_page, name="pool"),
    path("pool/<int:user_id>/", pool_views.pool_member_edit, name="pool-member"),
    path("pool/<int:user_id>/verwijderen/", pool_views.pool_member_remove, name="pool-member-remove"),
    path("mijn-profiel/", pool_views.my_profile, name="my-profile"),
    path("mijn-profiel/verbondenheden/<int:pk>/beeindigen/", pool_views.my_affiliation_end, name="my-affiliation-end"),
]
