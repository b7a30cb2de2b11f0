"""Domain data about countries that pycountry lacks: capitals, seats of power, demonyms, usual names.

One line per country: ``CODE | capitals and their spellings | demonyms``. Demonyms are given in the
masculine singular; the other forms (chinoise, russes, américaines) are derived by ``countries.py``.
An irregular feminine is written ``masculine/feminine`` (turc/turque). Ambiguous words (coréen,
congolais, guinéen, "Victoria") are left out on purpose: a wrong country is worse than none.
"""

CAPITALS_AND_DEMONYMS = """
AF | Kaboul, Kabul | afghan
ZA | Pretoria, Le Cap, Cape Town | sud-africain
AL | Tirana | albanais
DZ | Alger, Algiers | algérien
DE | Berlin | allemand
AD | Andorre-la-Vieille | andorran
AO | Luanda | angolais
SA | Riyad, Riyadh | saoudien
AR | Buenos Aires | argentin
AM | Erevan, Yerevan | arménien
AU | Canberra | australien
AT | Vienne, Vienna | autrichien
AZ | Bakou, Baku | azerbaïdjanais
BH | Manama | bahreïni, bahreïnien
BD | Dacca, Dhaka | bangladais
BE | Bruxelles, Brussels | belge
BJ | Porto-Novo, Cotonou | béninois
BY | Minsk | biélorusse, bélarusse
MM | Naypyidaw, Rangoun, Yangon | birman
BO | La Paz, Sucre | bolivien
BA | Sarajevo | bosnien, bosniaque
BW | Gaborone | botswanais
BR | Brasilia, Brasília | brésilien
BN | Bandar Seri Begawan | brunéien
BG | Sofia | bulgare
BF | Ouagadougou | burkinabè, burkinabé
BI | Gitega, Bujumbura | burundais
KH | Phnom Penh | cambodgien
CM | Yaoundé | camerounais
CA | Ottawa | canadien
CV | Praia | cap-verdien
CL | Santiago | chilien
CN | Pékin, Beijing, Zhongnanhai | chinois
CY | Nicosie, Nicosia | chypriote
CO | Bogota, Bogotá | colombien
KM | Moroni | comorien
KP | Pyongyang | nord-coréen
KR | Séoul, Seoul | sud-coréen
CR | San José | costaricien, costaricain
CI | Yamoussoukro, Abidjan | ivoirien
HR | Zagreb | croate
CU | La Havane, Havana | cubain
DK | Copenhague, Copenhagen | danois
DJ | | djiboutien
EG | Le Caire, Cairo | égyptien
AE | Abou Dhabi, Abu Dhabi | émirati, émirien
EC | Quito | équatorien
ER | Asmara | érythréen
ES | Madrid | espagnol
EE | Tallinn | estonien
US | Washington, Maison-Blanche, Maison Blanche, White House, Pentagone, Pentagon | américain, étatsunien, états-unien
ET | Addis-Abeba, Addis Ababa | éthiopien
FJ | Suva | fidjien
FI | Helsinki | finlandais
FR | Paris, Élysée, Matignon, Quai d'Orsay | français
GA | Libreville | gabonais
GM | Banjul | gambien
GE | Tbilissi, Tbilisi | géorgien
GH | Accra | ghanéen
GR | Athènes, Athens | grec/grecque
GT | Guatemala City | guatémaltèque
HT | Port-au-Prince | haïtien
HN | Tegucigalpa | hondurien
HU | Budapest | hongrois
IN | New Delhi, Delhi | indien
ID | Jakarta | indonésien
IQ | Bagdad, Baghdad | irakien
IR | Téhéran, Tehran | iranien
IE | Dublin | irlandais
IS | Reykjavik | islandais
IL | Jérusalem, Jerusalem, Tel-Aviv, Tel Aviv, Knesset | israélien
IT | Rome | italien
JM | Kingston | jamaïcain
JP | Tokyo | japonais
JO | Amman | jordanien
KZ | Astana | kazakh, kazakhstanais
KE | Nairobi | kényan
KG | Bichkek, Bishkek | kirghiz
KW | | koweïtien
LA | Vientiane | laotien
LS | Maseru | lesothan
LV | Riga | letton
LB | Beyrouth, Beirut | libanais
LR | Monrovia | libérien
LY | Tripoli | libyen
LI | Vaduz | liechtensteinois
LT | Vilnius | lituanien
LU | | luxembourgeois
MK | Skopje | macédonien
MG | Antananarivo, Tananarive | malgache
MY | Kuala Lumpur | malaisien
MW | Lilongwe | malawite, malawien
MV | Malé | maldivien
ML | Bamako | malien
MT | La Valette, Valletta | maltais
MA | Rabat | marocain
MU | Port-Louis | mauricien
MR | Nouakchott | mauritanien
MX | Mexico | mexicain
MD | Chisinau, Chișinău | moldave
MC | | monégasque
MN | Oulan-Bator, Ulaanbaatar | mongol
ME | Podgorica | monténégrin
MZ | Maputo | mozambicain
NA | Windhoek | namibien
NP | Katmandou, Kathmandu | népalais
NI | Managua | nicaraguayen
NE | Niamey | nigérien
NG | Abuja | nigérian
NO | Oslo | norvégien
NZ | Wellington | néo-zélandais
OM | Mascate, Muscat | omanais
UG | Kampala | ougandais
UZ | Tachkent, Tashkent | ouzbek
PK | Islamabad | pakistanais
PS | Ramallah | palestinien
PA | Panama City | panaméen
PG | Port Moresby | papouasien
PY | Asuncion, Asunción | paraguayen
NL | Amsterdam, La Haye, The Hague | néerlandais, hollandais
PE | Lima | péruvien
PH | Manille, Manila | philippin
PL | Varsovie, Warsaw | polonais
PT | Lisbonne, Lisbon | portugais
QA | Doha | qatari, qatarien
DO | Saint-Domingue, Santo Domingo | dominicain
CZ | Prague | tchèque
RO | Bucarest, Bucharest | roumain
GB | Londres, London, Downing Street | britannique
RU | Moscou, Moscow, Kremlin | russe
RW | Kigali | rwandais
SV | San Salvador | salvadorien
SN | Dakar | sénégalais
RS | Belgrade | serbe
SL | Freetown | sierra-léonais
SG | | singapourien
SK | Bratislava | slovaque
SI | Ljubljana | slovène
SO | Mogadiscio, Mogadishu | somalien
SD | Khartoum | soudanais
SS | Djouba, Juba | sud-soudanais
LK | Colombo | sri-lankais
SE | Stockholm | suédois
CH | Berne, Bern | suisse
SR | Paramaribo | surinamais
SY | Damas, Damascus | syrien
TJ | Douchanbé, Dushanbe | tadjik
TW | Taipei, Taïpei | taïwanais
TZ | Dodoma | tanzanien
TD | N'Djamena | tchadien
TH | Bangkok | thaïlandais
TL | Dili | est-timorais
TG | Lomé | togolais
TT | Port-d'Espagne, Port of Spain | trinidadien
TN | Tunis | tunisien
TM | Achgabat, Ashgabat | turkmène
TR | Ankara | turc/turque
UA | Kiev, Kyiv, Kiyv | ukrainien
UY | Montevideo | uruguayen
VE | Caracas | vénézuélien
VN | Hanoï, Hanoi | vietnamien
YE | Sanaa | yéménite
ZM | Lusaka | zambien
ZW | Harare | zimbabwéen
VA | Vatican, Saint-Siège |
"""

# Usual names that differ from pycountry's French and English ones.
USUAL_NAMES = """
BO | Bolivie
BY | Biélorussie
CD | RDC, Congo-Kinshasa, République démocratique du Congo
CG | Congo-Brazzaville
CZ | République tchèque
GB | Grande-Bretagne, Angleterre, UK, Royaume Uni
IR | Iran
KP | Corée du Nord, North Korea
KR | Corée du Sud, South Korea
LA | Laos
MD | Moldavie
MK | Macédoine
MM | Myanmar
NL | Hollande
PS | Palestine, Cisjordanie, Gaza
RU | Russie, Russia
SY | Syrie, Syria
SZ | Swaziland
TW | Taïwan, Taiwan
TZ | Tanzanie
US | USA, Etats-Unis, États-Unis d'Amérique
VE | Venezuela, Vénézuela
VN | Vietnam, Viêt Nam
"""

# Names that are also first names or common words: matched only inside a longer name.
AMBIGUOUS_WORDS = {
    "christmas", "salomon", "reunion", "dominique", "maurice", "grenade", "salvador", "man",
    "jersey", "georgia", "chad", "jordan", "turkey", "guinea", "niue", "bouvet", "heard", "cook",
    "marshall", "norfolk", "wallis", "saint-martin", "sucre", "santiago", "kingston", "praia",
}

# Demonyms in idioms that speak of no country (folded words: "montagnes russes", "clé anglaise").
IDIOMS = {
    ("montagnes", "russes"), ("montagne", "russe"), ("roulette", "russe"), ("poupees", "russes"),
    ("poupee", "russe"), ("salade", "russe"), ("cle", "anglaise"), ("cles", "anglaises"), ("capote", "anglaise"),
    ("assiette", "anglaise"), ("creme", "anglaise"), ("casse", "tete", "chinois"), ("ombres", "chinoises"),
    ("chou", "chinois"), ("frites", "belges"), ("vinaigrette", "francaise"),
    ("omelette", "norvegienne"), ("bain", "turc"), ("tete", "de", "turc"), ("fort", "comme", "un", "turc"),
    ("auberge", "espagnole"), ("porte", "espagnole"), ("danse", "egyptienne"), ("pas", "de", "chinois"),
}
# Words before a country's name that make it a person's ("président Hollande", "M. Hollande").
PERSON_CUES = {"m", "mme", "president", "presidente", "ministre", "depute", "deputee", "senateur", "maire"}
# Subdivisions named like a country ("province de Luxembourg", "canton de Genève" is not CH's name).
SUBDIVISIONS = {"province", "canton", "departement", "comte", "district", "oblast", "etat", "region"}
