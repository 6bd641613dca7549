"""Holiday names (English, German, Russian) and the rule that dates each.

Each row is (rule, names): names are separated by "|" and compared after `norm_word` (lower case,
no apostrophes, no plural or possessive "s"), so "new years eve", "New Year's Eve" and
"new year’s eve" are one name. A name starting with "?" is also an ordinary word ("lent",
"advent", "epiphany", "valentine"): it is a holiday only with context (a preposition before it,
a year after it, or a capital letter mid-sentence) — see `holidays.py`.
US days for the nth-weekday holidays (Thanksgiving, Labor Day, Mother's Day) unless the name says
otherwise ("canadian thanksgiving", "mothering sunday").
"""
from __future__ import annotations

from .holiday_rules import (MON, SUN, THU, Lunar, Rule, advent, after_nth, election_day, fixed,
                            from_easter, kings_day, lunar, nearest_weekday, nth_weekday, parsi_new_year,
                            weekday_before)

ISL, HEB, CHN, HIN, BUD = Lunar.ISLAMIC, Lunar.HEBREW, Lunar.CHINESE, Lunar.HINDU, Lunar.BUDDHIST

TABLE: list[tuple[Rule, str]] = [
    # fixed dates
    (fixed(1, 1), "new year day|new years day|?new year|?new years|neujahr|neujahrstag|новый год|"
                  "нового года|новому году|новом году|новым годом|новогодний"),
    (fixed(12, 31), "new year eve|new years eve|?nye|silvester|silvesterabend|новогодняя ночь|"
                    "канун нового года"),
    (fixed(12, 24), "christmas eve|xmas eve|heiligabend|heiliger abend|heiligen abend"),
    (fixed(12, 25), "christmas|christmas day|xmas|x mas|xmas day|chrismas|christmass|crimbo|"
                    "weihnachten|weihnachtstag|erster weihnachtstag|ersten weihnachtstag|"
                    "1 weihnachtstag|католическое рождество|католического рождества"),
    (fixed(12, 26), "boxing day|st stephen day|saint stephen day|zweiter weihnachtstag|"
                    "zweiten weihnachtstag|2 weihnachtstag"),
    (fixed(1, 5), "twelfth night"),
    (fixed(1, 6), "?epiphany|three kings day|three king day|dreikönigstag|heilige drei könige|"
                  "heiligen drei könige|dreikönig"),
    (fixed(1, 7), "orthodox christmas|рождество|рождества|рождеству|рождеством|рождестве|"
                  "рождество христово"),
    (fixed(1, 14), "old new year|orthodox new year|старый новый год|старого нового года"),
    (fixed(1, 19), "?крещение|?крещения|крещенье|богоявление"),
    (fixed(1, 25), "burns night|burns supper|татьянин день|день студента"),
    (fixed(1, 26), "australia day"),
    (fixed(2, 2), "groundhog day|candlemas|mariä lichtmess|lichtmess"),
    (fixed(2, 14), "valentine day|valentines day|?valentine|st valentine day|saint valentine day|"
                   "valentinstag|день святого валентина|день всех влюблённых|день всех влюбленных|"
                   "валентинов день"),
    (fixed(2, 23), "день защитника отечества|днем защитника отечества|дню защитника отечества"),
    (fixed(3, 1), "st david day|saint david day"),
    (fixed(3, 8), "international women day|women day|womens day|weltfrauentag|frauentag|"
                  "международный женский день|женский день"),
    (fixed(3, 17), "st patrick day|saint patrick day|st paddy day|saint paddy day|st patty day|"
                   "saint patty day|paddy day|patrick day|st pattys day|st paddys day"),
    (fixed(4, 1), "april fool|april fool day|april fools day|aprilscherz|день смеха|"
                  "день дурака"),
    (fixed(4, 12), "день космонавтики"),
    (fixed(4, 22), "earth day|tag der erde"),
    (fixed(4, 23), "st george day|saint george day"),
    (fixed(4, 25), "anzac day"),
    (fixed(4, 30), "walpurgis night|walpurgisnacht"),
    (fixed(5, 1), "may day|international workers day|workers day|tag der arbeit|maifeiertag|"
                  "erster mai|первомай|первое мая|день труда|праздник весны и труда"),
    (fixed(5, 4), "star wars day"),
    (fixed(5, 5), "cinco de mayo"),
    (fixed(5, 9), "victory day|день победы|дню победы|дня победы|днем победы|днём победы"),
    (fixed(6, 12), "день россии|дню россии|дня россии"),
    (fixed(6, 14), "flag day"),
    (fixed(6, 19), "juneteenth"),
    (fixed(6, 24), "midsummer day|st john day|saint john day|johannistag"),
    (fixed(7, 1), "canada day"),
    (fixed(7, 4), "independence day|us independence day|fourth of july day"),
    (fixed(7, 14), "bastille day|french national day|14 juillet"),
    (fixed(8, 1), "swiss national day|bundesfeiertag|lammas"),
    (fixed(8, 15), "?assumption|assumption day|assumption of mary|mariä himmelfahrt|ferragosto"),
    (fixed(9, 1), "день знаний|дню знаний|дня знаний"),
    (fixed(10, 3), "german unity day|day of german unity|tag der deutschen einheit|"
                   "tag der einheit"),
    (fixed(10, 5), "день учителя|дню учителя"),
    (fixed(10, 31), "halloween|hallowe en|haloween|halloween night|reformation day|"
                    "reformationstag"),
    (fixed(11, 1), "all saints day|all saint day|all hallows day|allerheiligen|world vegan day|"
                   "vegan day"),
    (fixed(11, 2), "all souls day|all soul day|day of the dead|dia de los muertos|"
                   "día de los muertos|allerseelen"),
    (fixed(11, 4), "день народного единства|дню народного единства|дня народного единства"),
    (fixed(11, 5), "guy fawkes day|guy fawkes night|bonfire night"),
    (fixed(11, 11), "veterans day|veteran day|remembrance day|armistice day|martinstag|"
                    "st martin day|saint martin day|sankt martin"),
    (fixed(11, 30), "st andrew day|saint andrew day"),
    (fixed(12, 6), "st nicholas day|saint nicholas day|nikolaustag|?nikolaus"),
    (fixed(12, 8), "immaculate conception|feast of the immaculate conception"),
    (fixed(12, 12), "day of the virgin of guadalupe"),
    (fixed(12, 21), "?yule"),
    (fixed(5, 9), "rabindra jayanti|rabindranath jayanti|rabindranath tagore jayanti|"
                  "pochishe boishakh"),
    (parsi_new_year, "parsi new year|pateti|navroz|jamshedi navroz"),
    (kings_day, "king day|kings day|koningsdag|queen day|queens day|koninginnedag"),
    # the nth weekday of a month (United States unless said)
    (nth_weekday(1, MON, 3), "mlk day|mlk|martin luther king day|martin luther king jr day|"
                             "mlk jr day|civil rights day"),
    (nth_weekday(2, MON, 3), "presidents day|president day|washington birthday|"
                             "washington's birthday"),
    (nth_weekday(4, MON, 3), "patriots day|patriot day"),
    (nth_weekday(5, SUN, 2), "mother day|mothers day|muttertag|?mom day|moms day|mum day|"
                             "mums day"),
    (nth_weekday(5, MON, -1), "memorial day|decoration day"),
    (weekday_before(5, 25, MON), "victoria day"),
    (nth_weekday(5, MON, 1), "early may bank holiday"),
    (nth_weekday(5, MON, -1), "spring bank holiday"),
    (nth_weekday(6, SUN, 3), "father day|fathers day|dad day|dads day"),
    (nth_weekday(8, MON, -1), "summer bank holiday"),
    (nth_weekday(9, MON, 1), "labor day|labour day"),
    (after_nth(9, MON, 1, SUN), "grandparents day|grandparent day"),
    (nth_weekday(10, MON, 2), "columbus day|indigenous peoples day|indigenous people day|"
                              "canadian thanksgiving|thanksgiving canada"),
    (nearest_weekday(10, 16), "boss day|bosses day|boss's day|national boss day"),
    (nth_weekday(11, THU, 4), "thanksgiving|thanksgiving day|turkey day|thanksgivin"),
    (nth_weekday(11, THU, 4, 1), "black friday"),
    (nth_weekday(11, THU, 4, 2), "small business saturday"),
    (nth_weekday(11, THU, 4, 4), "cyber monday"),
    (nth_weekday(11, THU, 4, 5), "giving tuesday|givingtuesday"),
    (election_day, "election day"),
    (advent(1), "first advent|first sunday of advent|1 advent|erster advent|ersten advent|"
                "?advent|advent sunday"),
    (advent(2), "second advent|second sunday of advent|zweiter advent|zweiten advent|2 advent"),
    (advent(3), "third advent|third sunday of advent|dritter advent|dritten advent|3 advent"),
    (advent(4), "fourth advent|fourth sunday of advent|vierter advent|vierten advent|4 advent"),
    (advent(1, -7), "totensonntag|ewigkeitssonntag"),
    (advent(1, -11), "buß und bettag|buss und bettag"),
    # Western Easter
    (from_easter(0), "easter|easter sunday|easter day|ostern|ostersonntag|католическая пасха|католическую пасху"),
    (from_easter(1), "easter monday|easter mon|ostermontag"),
    (from_easter(-1), "holy saturday|easter saturday|easter eve|karsamstag"),
    (from_easter(-2), "good friday|holy friday|karfreitag"),
    (from_easter(-3), "maundy thursday|holy thursday|covenant thursday|covenant thu|"
                      "thursday of mysteries|thu of mysteries|gründonnerstag"),
    (from_easter(-7), "palm sunday|branch sunday|palmsonntag"),
    (from_easter(-21), "mothering sunday|uk mother day"),
    (from_easter(-46), "ash wednesday|aschermittwoch|?lent|lent start|beginning of lent|"
                       "start of lent"),
    (from_easter(-47), "shrove tuesday|mardi gras|pancake day|fat tuesday|faschingsdienstag|"
                       "fastnachtsdienstag|veilchendienstag"),
    (from_easter(-48), "rosenmontag"),
    (from_easter(-52), "weiberfastnacht|altweiberfastnacht|fat thursday"),
    (from_easter(39), "ascension day|ascension thursday|feast of the ascension|?ascension|"
                      "christi himmelfahrt|himmelfahrt|vatertag|herrentag"),
    (from_easter(49), "pentecost|whit sunday|whitsunday|white sunday|whitsun|pfingsten|"
                      "pfingstsonntag"),
    (from_easter(50), "whit monday|pentecost monday|monday of the holy spirit|pfingstmontag"),
    (from_easter(56), "trinity sunday|trinitatis"),
    (from_easter(60), "corpus christi day|feast of corpus christi|?corpus christi|fronleichnam"),
    # Orthodox Easter
    (from_easter(0, True), "orthodox easter|orthodox easter sunday|greek easter|пасха|пасху|"
                           "пасхи|пасхе|пасхой|светлое воскресение|orthodoxe ostern"),
    (from_easter(1, True), "orthodox easter monday"),
    (from_easter(-2, True), "orthodox good friday|orthodox great friday|great friday|"
                            "страстная пятница|страстную пятницу"),
    (from_easter(-8, True), "lazarus saturday"),
    (from_easter(-7, True), "вербное воскресенье|вербное воскресенье"),
    (from_easter(-48, True), "clean monday|orthodox shrove monday|ash monday|great fast|"
                             "великий пост|чистый понедельник"),
    (from_easter(-55, True), "масленица|масленицу|масленицы|масленичная неделя"),
    (from_easter(49, True), "orthodox pentecost|троица|троицу|троицы|день святой троицы"),
    # Islamic (Umm al-Qura)
    (lunar(ISL, "ramadan_beginning_dates"), "ramadan|ramadhan|ramazan|start of ramadan|"
                                            "рамадан|рамадана|ураза"),
    (lunar(ISL, "eid_al_fitr_dates"), "eid al fitr|eid ul fitr|eid el fitr|id ul fitr|"
                                      "eid|eid al-fitr|ramadan bayram|ramazan bayram|"
                                      "zuckerfest|ураза байрам|ураза-байрам"),
    (lunar(ISL, "eid_al_adha_dates"), "eid al adha|eid ul adha|eid el adha|id ul adha|"
                                      "sacrifice feast|feast of sacrifice|bakr id|bakrid|"
                                      "kurban bayram|qurban bayram|opferfest|курбан байрам|"
                                      "курбан-байрам"),
    (lunar(ISL, "hijri_new_year_dates"), "islamic new year|hijri new year|muharram|amun jadid|"
                                         "arabic new year"),
    (lunar(ISL, "ashura_dates"), "ashura|day of ashura"),
    (lunar(ISL, "mawlid_dates"), "mawlid|mawlid al nabawi|mawlid an nabi|milad un nabi|"
                                 "prophet birthday|eid milad un nabi"),
    (lunar(ISL, "laylat_al_qadr_dates"), "laylat al qadr|laylat al kadr|lailat al qadr|"
                                         "night of power|night of measures|night of destiny|"
                                         "shab e qadr"),
    (lunar(ISL, "isra_and_miraj_dates"), "isra and miraj|isra miraj|al isra wal miraj|"
                                         "prophet ascension|the prophet ascension|"
                                         "night journey|the night journey|ascension to heaven|"
                                         "lailat al miraj|shab e miraj"),
    (lunar(ISL, "jumuatul_wida_dates"), "jumuatul wida|jamat ul vida|jumu atul wida|"
                                        "jummat ul wida"),
    # Hebrew (the day itself; "erev X" / "X eve" is the evening before)
    (lunar(HEB, "rosh_hashanah_date"), "rosh hashanah|rosh hashana|rosh hashanna|rosh ha shana|"
                                       "jewish new year"),
    (lunar(HEB, "yom_kippur_date"), "yom kippur|day of atonement"),
    (lunar(HEB, "sukkot_date"), "sukkot|succot|succos|sukkos|feast of tabernacles|"
                                "feast of the ingathering|laubhüttenfest"),
    (lunar(HEB, "sukkot_date", 7), "shemini atzeret"),
    (lunar(HEB, "sukkot_date", 8), "simchat torah|simhat torah"),
    (lunar(HEB, "hanukkah_date"), "hanukkah|hanukah|chanukah|chanuka|hannukah|hannukkah|"
                                  "hanukka|chanukkah|chanukka|ханука|хануку"),
    (lunar(HEB, "purim_date"), "purim|пурим"),
    (lunar(HEB, "purim_date", 1), "shushan purim"),
    (lunar(HEB, "passover_date"), "passover|pesach|pessach|pesah|песах"),
    (lunar(HEB, "shavuot_date"), "shavuot|shavuos|feast of weeks|schawuot"),
    (lunar(HEB, "tisha_bav_date"), "tisha bav|tisha b av|tisha beav|tishah bav"),
    (lunar(HEB, "lag_baomer_date"), "lag baomer|lag b omer|lag bomer|lag laomer"),
    # Chinese
    (lunar(CHN, "lunar_new_year_date"), "chinese new year|lunar new year|chinese lunar new year|"
                                        "chinese lunar new year day|?tet|"
                                        "seollal|chinesisches neujahr|китайский новый год"),
    (lunar(CHN, "mid_autumn_date"), "mid autumn festival|mid-autumn festival|"
                                    "mooncake festival|mid autumn"),
    (lunar(CHN, "dragon_boat_date"), "dragon boat festival|duanwu"),
    (lunar(CHN, "qingming_date"), "qingming|qingming festival|tomb sweeping day"),
    (lunar(CHN, "double_ninth_date"), "double ninth festival|chongyang"),
    # Hindu, Sikh, Jain, Buddhist
    (lunar(HIN, "diwali_india_date"), "diwali|deepavali|divali|lakshmi puja|deepawali|дивали"),
    (lunar(HIN, "diwali_india_date", -2), "dhanteras|dhanatrayodashi"),
    (lunar(HIN, "diwali_india_date", -1), "choti diwali|chhoti diwali|naraka chaturdashi|"
                                          "kali chaudas"),
    (lunar(HIN, "govardhan_puja_date"), "govardhan puja|annakut"),
    (lunar(HIN, "diwali_india_date", 2), "bhai dooj|bhaiya dooj|bhau beej|bhai tika"),
    (lunar(HIN, "holi_date"), "?holi|dhulandi|phagwah|rangwali holi|dhuleti|холи"),
    (lunar(HIN, "holi_date", -1), "holika dahan|chhoti holi|choti holi|kamudu pyre"),
    (lunar(HIN, "dussehra_date"), "dussehra|dasara|dashain|vijayadashami|vijaya dashami"),
    (lunar(HIN, "sharad_navratri_date"), "navratri|navaratri|sharad navratri|durga puja"),
    (lunar(HIN, "maha_ashtami_date"), "maha ashtami|durga ashtami"),
    (lunar(HIN, "maha_ashtami_date", -1), "maha saptami|durga saptami"),
    (lunar(HIN, "maha_navami_date"), "maha navami"),
    (lunar(HIN, "ganesh_chaturthi_date"), "ganesh chaturthi|vinayaka chaturthi|"
                                          "ganesha chaturthi"),
    (lunar(HIN, "janmashtami_date"), "janmashtami|krishna janmashtami|gokulashtami|"
                                     "krishna jayanti"),
    (lunar(HIN, "raksha_bandhan_date"), "raksha bandhan|?rakhi|rakshabandhan"),
    (lunar(HIN, "onam_date"), "onam|thiru onam|thiruvonam"),
    (lunar(HIN, "pongal_date"), "pongal|thai pongal|makara sankranthi"),
    (lunar(HIN, "pongal_date", -1), "bogi pandigai|bhogi"),
    (lunar(HIN, "pongal_date", 1), "maattu pongal|mattu pongal"),
    (lunar(HIN, "pongal_date", 2), "kaanum pongal|kanni pongal"),
    (lunar(HIN, "makar_sankranti_date"), "makar sankranti|maghi|makara sankranti|sankranti"),
    (lunar(HIN, "vaisakhi_date"), "vaisakhi|baisakhi|vasakhi|vaishakhi"),
    (lunar(HIN, "karwa_chauth_date"), "karva chauth|karwa chauth"),
    (lunar(HIN, "maha_shivaratri_date"), "maha shivaratri|mahashivratri|shivaratri|"
                                         "maha shivratri|shivratri"),
    (lunar(HIN, "ram_navami_date"), "ram navami|rama navami"),
    (lunar(HIN, "mahavir_jayanti_date"), "mahavir jayanti|mahaveer jayanti|"
                                         "mahaveer janma kalyanak|mahavir janma kalyanak"),
    (lunar(HIN, "chhath_puja_date"), "chhath|chhath puja|dala puja|surya shashthi"),
    (lunar(HIN, "gudi_padwa_date"), "ugadi|yugadi|gudi padwa|samvatsaradi|chaitra sukladi|"
                                    "chaitra sukhladi"),
    (lunar(HIN, "rath_yatra_date"), "rath yatra|ratha yatra|rathayatra"),
    (lunar(HIN, "basant_panchami_date"), "vasant panchami|basant panchami|saraswati puja"),
    (lunar(HIN, "guru_nanak_jayanti_date"), "guru nanak jayanti|guru nanak gurpurab|"
                                            "guru nanak birthday|gurpurab"),
    (lunar(HIN, "guru_gobind_singh_jayanti_date"), "guru gobind singh jayanti|"
                                                   "guru govind singh jayanti|"
                                                   "guru gobind singh birthday"),
    (lunar(HIN, "guru_ravidas_jayanti_date"), "guru ravidas jayanti|guru ravidass jayanti|"
                                              "guru ravidas birthday|guru ravidass birthday|"
                                              "ravidas jayanti"),
    (lunar(HIN, "maharshi_valmiki_jayanti_date"), "valmiki jayanti|maharishi valmiki jayanti|"
                                                  "maharshi valmiki jayanti|pargat diwas"),
    (lunar(HIN, "hanuman_jayanti_date"), "hanuman jayanti"),
    (lunar(HIN, "thaipusam_date"), "thaipusam"),
    (lunar(HIN, "guru_purnima_date"), "guru purnima"),
    (lunar(BUD, "vesak_date"), "vesak|wesak|vaisakha|buddha day|buddha purnima|buddha jayanti"),
]

DAY_WORDS = frozenset({"day", "tag", "день"})
"""A word that may follow any holiday's name without changing it ("thanksgiving day")."""


def norm_word(word: str) -> str:
    """"Year's" -> "year", "valentines" -> "valentine", "mi'raj" -> "miraj": the spelling-free
    form names and typed words are compared in."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    return w[:-1] if len(w) >= 4 and w.endswith("s") else w


__all__ = ["TABLE", "DAY_WORDS", "norm_word"]
