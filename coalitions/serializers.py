from rest_framework import serializers

from coalitions.models import Coalition, CoalitionMembership, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region", "website"]


class MembershipSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.display_name")
    organisation = serializers.CharField(source="organisation.name")

    class Meta:
        model = CoalitionMembership
        fields = ["user", "organisation", "role"]


class CoalitionSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation_count = serializers.IntegerField(read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Coalition
        fields = ["slug", "name", "region", "description", "organisation_count", "member_count"]


class CoalitionDetailSerializer(CoalitionSerializer):
    organisations = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta(CoalitionSerializer.Meta):
        fields = [*CoalitionSerializer.Meta.fields, "organisations", "members"]

    def get_organisations(self, coalition) -> list[dict]:
        return OrganisationSerializer(
            [link.organisation for link in coalition.member_organisations.all()], many=True
        ).data

    def get_members(self, coalition) -> list[dict]:
        # People and roles are for members only; oversight roles see the organisations.
        if not self.context["show_people"]:
            return []
        return MembershipSerializer(coalition.memberships.all(), many=True).data
