from django.dispatch import Signal

# Sent inside the anonymising transaction with ``citizen_id``: each later app that keeps
# a copy of the citizen's data (complaint texts and files, call notes, survey answers)
# erases it there and returns ``{what: count}`` for the access log, without this app
# importing them; what they change commits or rolls back with the anonymisation.
citizen_anonymised = Signal()
