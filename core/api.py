"""Reading a request body through an input serializer (400 with field errors when it does not fit)."""


def bind(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
