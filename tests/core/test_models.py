from community_admin.org.models import Committee
from community_admin.residents.models import Person


def test_choice_labels_are_the_fields_labels_and_unknown_values_pass_through():
    person = Person(status=Person.Status.FLOATING, sex="F", relationship="")
    assert person.get_status_display() == str(Person.Status.FLOATING.label)
    assert person.get_sex_display() == str(Person.Sex("F").label)
    person.status = "no-such-status"
    assert person.get_status_display() == "no-such-status"
    committee = Committee(kind=Committee.Kind.MIXED)
    assert committee.get_kind_display() == str(Committee.Kind.MIXED.label)  # each field its own labels
