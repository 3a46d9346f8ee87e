from django.urls import path, re_path

from regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("importeren/", views.dataset_upload, name="import"),
    path("importeren/<int:job_id>/", views.import_job_detail, name="import-job"),
    re_path(r"^(?P<code>[A-Za-z0-9-]{2,32})/$", views.region_detail, name="detail"),
]
