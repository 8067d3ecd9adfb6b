"""Small name tables per nationality, in Latin script as on passports (written by us for the generator)."""

from __future__ import annotations

SURNAMES: dict[str, list[str]] = {
    "THA": ["Saetang", "Jaidee", "Srisuk", "Wongsawat", "Chaiyaporn", "Boonmee", "Kittisak", "Phromma",
            "Rattanakorn", "Sukprasert", "Thongdee", "Inthachai", "Kaewmanee", "Suwannarat", "Meesuk"],
    "LAO": ["Phommachanh", "Sisouk", "Vongsa", "Keomany", "Chanthavong", "Inthavong", "Soukhaseum",
            "Douangmala", "Xayavong", "Phimmasone"],
    "KHM": ["Sok", "Chea", "Heng", "Kim", "Meas", "Prak", "Chan", "Ouk", "Seng", "Touch", "Nhem"],
    # Nguyen, Tran and Le are most Vietnamese people: unrelated people often share a family name.
    "VNM": ["Nguyen", "Nguyen", "Nguyen", "Tran", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do"],
    "CHN": ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma"],
}
GIVEN: dict[str, dict[str, list[str]]] = {
    "THA": {"M": ["Somchai", "Somsak", "Niran", "Arthit", "Wichai", "Chai", "Anan", "Prasert", "Kittipong"],
            "F": ["Anong", "Malee", "Siriporn", "Pim", "Nok", "Kanya", "Dao", "Ploy", "Mali", "Fah"]},
    "LAO": {"M": ["Bounmy", "Souk", "Phonsavanh", "Thong", "Keo", "Khamphan", "Vilay"],
            "F": ["Khamla", "Noy", "Manivanh", "Dara", "Vanh", "Somphone", "Chanthala"]},
    "KHM": {"M": ["Rithy", "Kosal", "Vuthy", "Sokha", "Piseth", "Visal"],
            "F": ["Sophea", "Vanna", "Sreymom", "Bopha", "Chenda", "Kunthea", "Sreyneang"]},
    "VNM": {"M": ["An", "Binh", "Hung", "Tuan", "Minh", "Duc", "Nam", "Long"],
            "F": ["Lan", "Mai", "Linh", "Huong", "Thu", "Hoa", "Ngoc", "Trang"]},
    "CHN": {"M": ["Wei", "Lei", "Jun", "Tao", "Qiang", "Hao", "Bo"],
            "F": ["Fang", "Min", "Jing", "Yan", "Hui", "Xin", "Li Na", "Xiu"]},
}
#: Burmese names have no family name: two or three parts, with an honorific by sex and age.
BURMESE_PARTS = ["Aung", "Kyaw", "Htet", "Win", "Myint", "Thiha", "Zaw", "Hla", "Su", "Nandar", "Ei", "Phyu",
                 "Thandar", "Mya", "Khin", "Naing", "Soe", "Tun", "Moe", "Thu", "Wai", "Yan", "Lin", "Nwe",
                 "Zin", "Oo", "Thet", "Paing", "Hnin", "Wutyi", "Sandar", "Kaung", "Pyae", "Sithu", "May"]
VN_MIDDLE = {"M": "Van", "F": "Thi"}
#: Family name written first in these countries when a checkpoint records a single name field.
SURNAME_FIRST = {"CHN", "VNM", "KHM"}
NATIONALITIES = ["THA", "MMR", "LAO", "KHM", "VNM", "CHN"]
