"""URLs of the agenda pages, under /agendas/."""

from django.urls import path

from agendas.views import agendas, collaboration, exports

app_name = "agendas"
urlpatterns = [
    path("", agendas.agenda_list, name="list"),
    path("nieuw/<slug:slug>/", agendas.agenda_create, name="create"),
    path("<int:pk>/", agendas.agenda_detail, name="detail"),
    path("<int:pk>/bewerken/", agendas.header_edit, name="header"),
    path("<int:pk>/prioriteiten/nieuw/", agendas.priority_create, name="priority-create"),
    path("<int:pk>/prioriteiten/<int:priority_id>/", agendas.priority_detail, name="priority"),
    path("<int:pk>/prioriteiten/<int:priority_id>/bewerken/", agendas.priority_edit, name="priority-edit"),
    path("<int:pk>/prioriteiten/<int:priority_id>/verwijderen/", agendas.priority_delete, name="priority-delete"),
    path("<int:pk>/maatregelen/nieuw/", agendas.measure_create, name="measure-create"),
    path("<int:pk>/maatregelen/<int:measure_id>/", agendas.measure_edit, name="measure"),
    path("<int:pk>/maatregelen/<int:measure_id>/verwijderen/", agendas.measure_delete, name="measure-delete"),
    path("<int:pk>/geschiedenis/", collaboration.history, name="history"),
    path("<int:pk>/geschiedenis/vergelijk/", collaboration.compare, name="compare"),
    path("<int:pk>/reacties/", collaboration.comment_create, name="comment"),
    path("<int:pk>/reacties/leden/", collaboration.mention_members, name="mention-members"),
    path("<int:pk>/agenda.pdf", exports.agenda_pdf, name="export-pdf"),
    path("<int:pk>/begroting.csv", exports.budget_csv, name="export-csv"),
    path("<int:pk>/begroting.xlsx", exports.budget_xlsx, name="export-xlsx"),
]
