"""Comparison levels, learned match weights and fuzzy blocking, in memory (no database)."""

from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.matching.compare import DIFFERENT, FIELD_INDEX, FIELDS, MISSING, compare
from gbetix_core.matching.normalize import person
from gbetix_core.matching.scoring import _phrase, score
from gbetix_core.matching.training import learn
from gbetix_core.matching.users import buyer_person
from gbetix_core.matching.weights import Weights, frequencies


def someone(key=1, first="Rosa", last="Delgado", email="rosa@example.org", phone="", address="12 Main Street",
            zip_code="02118", city="Boston", state="MA"):
    return person(key, first, last, email, phone, address, zip_code, None, city, state)


def levels(buyer, user):
    found = compare(buyer, user)
    return {name: found[i] for name, i in FIELD_INDEX.items()}


def test_each_field_lands_on_its_level():
    user = someone()
    found = levels(someone(0, "Rosa", "Delgdao", "r@x.example", "", "12 Main St", "02119", "Bostn", ""), user)
    assert found == {"first": 0, "last": 1, "email": DIFFERENT["email"], "phone": MISSING, "number": 0, "street": 0,
                     "city": 1, "zip": 1, "state": MISSING}
    assert levels(someone(0, "Bob", "Smith"), someone(first="Robert", last="Smith"))["first"] == 1
    swapped = levels(someone(0, "Delgado", "Rosa"), user)
    assert (swapped["first"], swapped["last"]) == (2, 1)


def test_names_the_wrong_way_round_are_read_crosswise_and_a_household_stays_a_household():
    user = someone(first="Jean-Claude", last="White")
    swapped = levels(someone(0, "White", "Jean-Claude"), user)
    assert (swapped["first"], swapped["last"]) == (2, 1)
    assert score(someone(0, "White", "Jean-Claude", "n@x.example"), user).name_compatible
    partner = someone(0, "White", "Ebony", "n@x.example")  # surname first, then her own given name
    assert levels(partner, user)["first"] == DIFFERENT["first"] and not score(partner, user).name_compatible
    maiden_name = someone(0, "Mary", "Paul", "n@x.example")  # lives with Paul Smith: not "Paul Mary" crosswise
    assert not score(maiden_name, someone(first="Paul", last="Smith")).name_compatible


def test_every_reason_is_a_field_weight_and_they_add_up_to_the_score():
    users = [someone(key, first, "Smith" if key < 90 else "Okonkwo") for key, first in
             enumerate(["Ann", "Bea", "Cy", "Di"] * 25, start=1)]
    weights = Weights(population=len(users), tf=frequencies(users))
    common = score(someone(0, "Ann", "Smith", "x@y.example"), users[0], weights)
    rare = score(someone(0, "Ann", "Okonkwo", "x@y.example"), users[92], weights)
    bits = [float(reason.rpartition(": ")[2]) for reason in common.reasons]
    assert abs(weights.prior + sum(bits) - common.bits) < 0.1 * len(bits)
    assert weight_of("surname agrees", rare) > weight_of("surname agrees", common) + 2


def test_a_reason_reads_the_same_however_often_its_pattern_was_seen():
    users = [someone(key, first, "Smith" if key % 3 else "Okonkwo") for key, first in
             enumerate(["Ann", "Bea", "Bob", "Di"] * 25, start=1)]
    weights = Weights(population=len(users), tf=frequencies(users))
    buyers = [someone(0, "Ann", "Smith", "x@y.example"), someone(0, "Robert", "Okonkwo", "rosa@example.org"),
              someone(0, "Ann", "Okonkwo", "ros@example.org", address="12 Main Rd")]
    for _ in range(2):  # the second time every pattern and text is remembered
        for buyer in buyers:
            for user in users:
                evidence = score(buyer, user, weights)
                found = compare(buyer, user)
                assert evidence.reasons == [f"{_phrase(name, level, buyer, user)}: "
                                            f"{weights.level_weight(name, level, buyer):+.1f}"
                                            for name, level in zip(FIELDS, found) if level != MISSING]


def weight_of(phrase, evidence):
    return next(float(r.rpartition(": ")[2]) for r in evidence.reasons if r.startswith(phrase + ":"))


def test_weights_are_learned_from_the_buyers_and_a_persons_links():
    users = generate_users(2_000, seed=5)
    ids = {u["username"]: i for i, u in enumerate(users, start=1)}
    index = UserIndex(person(i, u["first_name"], u["last_name"], u["email"], u["phone"], u["address"], u["zip"],
                             u["purchase_email"], u["city"], u["state"]) for u, i in zip(users, ids.values()))
    orders = generate_orders(users, 1_000, slots=[("1", "2", "3")], secret=b"s" * 20, user_ids=ids, seed=3).orders
    buyers = [buyer_person(o["fname"], o["lname"], o["email"], o["phone"], o["address"], o["zip"], o["city"],
                           o["state"]) for o in orders]
    learned = learn(index, buyers, [(buyers[0], 1)])
    assert learned.pairs > len(buyers) and learned.decisions == 1
    assert learned.m["first"][0] > 0.8 and learned.u["first"][0] < 0.05
    assert learned.table["number"][0] > 5 and learned.table["first"][DIFFERENT["first"]] < -2


def test_blocking_finds_a_user_despite_one_error_in_any_field():
    user = someone(7)
    index = UserIndex([user] + [someone(k, "Ann", f"Other{k}", f"a{k}@x.example", "", f"{k} Elm St", "02118")
                                for k in range(8, 40)])
    for buyer in (someone(0, "Rsoa", "Delgado", "new@x.example"), someone(0, "Rosa", "Delagdo", "new@x.example"),
                  someone(0, "Rosa", "Delgado", "new@x.example", zip_code="02119"),
                  someone(0, "Rosa", "Delgado", "new@x.example", address="13 Main St", city="Cambridge"),
                  someone(0, "Delgado", "Rosa", "new@x.example", address="")):
        assert 7 in index.close(buyer) | index.sounding(buyer)


def test_blocking_finds_a_user_despite_errors_in_two_fields_past_the_first_letters():
    """A street, town or surname mistyped after its first letters still keys its block."""
    user = someone(7)
    index = UserIndex([user] + [someone(k, "Ann", f"Other{k}", f"a{k}@x.example", "", f"{k} Elm St", "02118")
                                for k in range(8, 40)])
    buyers = {
        "no given name, postcode and town mistyped": someone(0, "", "Delgado", "n@x.example", "", "Main Street",
                                                             "01218", "Bostno"),
        "no given name, surname mistyped, another town": someone(0, "", "Delgafo", "n@x.example", "", "40 Oak St",
                                                                 city="Cambridge"),
        "street mistyped, another town and postcode": someone(0, "Maria", "Delgafo", "n@x.example", "",
                                                              "12 Main Stret", "02139", "Cambridge"),
        "names swapped and mistyped, street run together": someone(0, "Delgafo", "Rsoa", "n@x.example", "",
                                                                   "Mainstreet", city="Cambridge"),
    }
    for case, buyer in buyers.items():
        assert 7 in index.close(buyer) | index.sounding(buyer), case


def test_a_typing_error_in_the_street_type_word_is_a_typo_not_another_street():
    user = someone(address="12 Banks Street")
    for typed in ("12 Banks Srteet", "12 Banksstret", "12 Banks S treet", "12 BanksStreet"):
        assert levels(someone(0, address=typed), user)["street"] in (0, 1), typed
    for other in ("12 Bankside Street", "12 Banks Road", "12 Mann Street"):
        assert levels(someone(0, address=other), user)["street"] > 1, other


def test_a_house_number_on_another_street_ties_the_pair_only_where_the_address_weighs_enough():
    user = someone(address="897 Long St")
    buyer = someone(0, email="new@x.example", address="897 Adams Ave")
    small_postcodes = Weights(u={**Weights().u, "zip": (0.0005, 0.002, 0.9975), "city": (0.002, 0.001, 0.997)})
    big_towns = Weights(u={**Weights().u, "zip": (0.11, 0.001, 0.889), "city": (0.11, 0.001, 0.889)})
    assert "street" in score(buyer, user, small_postcodes).identifiers
    assert not score(buyer, user, big_towns).identifiers
    household = someone(0, "Miguel", email="new@x.example", address="897 Adams Ave")
    assert not score(household, user, small_postcodes).identifiers


def test_a_rejected_pair_teaches_that_different_people_agree_like_this():
    users = generate_users(600, seed=5)
    index = UserIndex(person(i, u["first_name"], u["last_name"], u["email"], u["phone"], u["address"], u["zip"],
                             u["purchase_email"], u["city"], u["state"]) for i, u in enumerate(users, start=1))
    buyers = [buyer_person(u["first_name"], u["last_name"], "", "", u["address"], u["zip"], u["city"], u["state"])
              for u in users[:300]]
    namesake = buyer_person(users[0]["first_name"], users[0]["last_name"], "other@x.example", "", "", "", "", "")
    before = learn(index, buyers)
    after = learn(index, buyers, rejected=[(namesake, 1)] * 20)
    assert after.u["first"][0] > before.u["first"][0] and after.u["last"][0] > before.u["last"][0]
    assert after.table["last"][0] < before.table["last"][0]
    assert (after.decisions, after.rejections) == (20, 20) and (before.decisions, before.rejections) == (0, 0)
