"""Name pools for generated people: common US first names (many with nicknames) and surnames."""

FIRST_NAMES = (
    "Robert Bob William Bill Elizabeth Liz Katherine Kate Margaret Peggy James Jim Richard Dick "
    "Jennifer Jenny Michael Mike Christopher Chris Patricia Trish Jonathan Jon Alexander Alex "
    "Samantha Sam Rebecca Becky Anthony Tony Deborah Debbie Thomas Tom Joseph Joe Daniel Dan "
    "Susan Sue Charles Charlie Amy Alice George Rosa Maria Ana Sofia Olivia Emma Ava Mia Harper "
    "Evelyn Abigail Emily Ella Madison Scarlett Victoria Aria Grace Chloe Camila Penelope Riley "
    "Layla Lillian Nora Zoey Mila Aubrey Hannah Lily Addison Eleanor Natalie Luna Savannah Brooklyn "
    "Leah Zoe Stella Hazel Ellie Paisley Audrey Skylar Violet Claire Bella Aurora Lucy Anna Caroline "
    "Genesis Aaliyah Kennedy Kinsley Allison Maya Sarah Madelyn Adeline Alexa Ariana Elena Gabriella "
    "Naomi Alyssa Liam Noah Oliver Elijah Lucas Mason Logan Ethan Jacob Jackson Aiden Sebastian Mateo "
    "Henry Owen Wyatt Jack Luke Jayden Dylan Grayson Levi Isaac Gabriel Julian Lincoln Jaxon Asher "
    "Carter Nathan Ryan Leo Hunter Eli Isaiah Andrew Joshua Aaron Adrian Miles Colton Jordan Cameron "
    "Nicholas Connor Santiago Ezra Xavier Dominic Jaxson Greyson Ian Cooper Kayden Carson Austin "
    "Theodore Ted Frances Fran Dorothy Dot Lawrence Larry Gwendolyn Gwen Mathilde Renée Zoë José"
).split()

LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders "
    "Patel Myers Long Ross Foster Jimenez Delgado O'Brien O'Connor McDonald MacLeod Smith-Jones "
    "Van der Berg De la Cruz Dubois Müller Schmidt Kowalski Novak Horvath Rossi Russo Bianchi "
    "Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa Mancini Lombardi "
    "Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo "
    "Gentile Martinelli Vitale Lombardo Serra Coppola DeSantis D'Angelo Marchetti Parisi Villa"
).split()

EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "example.org", "hotmail.com", "outlook.com", "icloud.com", "fastmail.com")
CITIES = (
    ("Boston", "MA", "02118"), ("Somerville", "MA", "02143"), ("Cambridge", "MA", "02139"),
    ("Providence", "RI", "02903"), ("New York", "NY", "10001"), ("Brooklyn", "NY", "11201"),
    ("Portland", "ME", "04101"), ("Hartford", "CT", "06103"), ("Worcester", "MA", "01608"),
)
