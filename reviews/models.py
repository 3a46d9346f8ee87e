"""The independent broad-welfare review (issue: submission, reviewers, scoring).

Empty for now: the foundation only provides what reviews will read —
``kansenagenda.Affiliation`` for conflicts of interest, the review groups in
``kansenagenda.GlobalRole`` and the profile function in ``regions.profile``.
"""
