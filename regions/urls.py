from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("importeren/", views.dataset_upload, name="import"),
    path("importeren/<int:job_id>/", views.import_job_detail, name="import-job"),
    path("<str:code>/", views.region_detail, name="detail"),
]
