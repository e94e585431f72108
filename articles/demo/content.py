"""The demo texts of Folio Health as plain data: people, topics, articles and series.

Article bodies are lists of (block type, raw value) pairs in the stored JSON shape of
`articles.blocks.ArticleBodyBlock`, with two conveniences the loader resolves: an image
value names an image to draw (`{"title", "motif", "colors"}`) instead of an image id, and
rich text links to another demo article as `<a linktype="page" id="@slug">`, the target
listed earlier in ARTICLES. Texts are illustrative demo content, not medical advice;
citations are given as commonly cited and should be verified before any public use.
"""

from articles.editorial import EDITORS, MEDICAL_REVIEWERS, WRITERS


def _text(value: str) -> str:
    """Collapse the hard wrapping of a triple-quoted string into single spaces."""
    return " ".join(value.split())


def _p(*paragraphs: str) -> tuple[str, str]:
    return ("paragraph", "".join(f"<p>{_text(text)}</p>" for text in paragraphs))


def _h(text: str, level: str = "h2") -> tuple[str, dict]:
    return ("heading", {"text": text, "level": level, "anchor": ""})


def _quote(quote: str, attribution: str) -> tuple[str, dict]:
    return ("quote", {"quote": _text(quote), "attribution": attribution})


def _callout(kind: str, title: str, *paragraphs: str) -> tuple[str, dict]:
    body = "".join(f"<p>{_text(text)}</p>" for text in paragraphs)
    return ("callout", {"kind": kind, "title": title, "body": body})


def _list(style: str, *items: str) -> tuple[str, dict]:
    return ("list", {"style": style, "items": [_text(item) for item in items]})


def _table(caption: str, header: list[str], *rows: list[str]) -> tuple[str, dict]:
    return (
        "table",
        {
            "data": [header, *rows],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": caption,
        },
    )


def _image(title: str, motif: str, colors: tuple[str, str], alt: str, caption: str) -> tuple:
    return (
        "image",
        {
            "image": {"title": title, "motif": motif, "colors": colors},
            "alt": alt,
            "caption": caption,
            "credit": GENERATED_IMAGE_CREDIT,
        },
    )


def _references(*citations: dict) -> tuple[str, dict]:
    defaults = {"authors": "", "source": "", "year": None, "url": "", "doi": ""}
    return (
        "references",
        {
            "heading": "Studies cited",
            "citations": [
                {
                    **defaults,
                    **citation,
                    "url": citation.get("url") or _doi_url(citation.get("doi", "")),
                }
                for citation in citations
            ],
        },
    )


def _doi_url(doi: str) -> str:
    return f"https://doi.org/{doi}" if doi else ""


GENERATED_IMAGE_CREDIT = "Illustration: Folio Health (generated demo image)"
DEFAULT_ATTRIBUTION = "First published by Folio Health"

SUPERUSER = {"username": "admin", "email": "admin@example.com"}

# One demo login per editorial group; each is the same person as one of the authors below.
EDITORIAL_USERS = [
    {
        "username": "writer",
        "email": "writer@example.com",
        "first_name": "Sofia",
        "last_name": "Lindqvist",
        "group": WRITERS,
    },
    {
        "username": "reviewer",
        "email": "reviewer@example.com",
        "first_name": "Amara",
        "last_name": "Okafor",
        "group": MEDICAL_REVIEWERS,
    },
    {
        "username": "editor",
        "email": "editor@example.com",
        "first_name": "Priya",
        "last_name": "Raman",
        "group": EDITORS,
    },
]

JOURNAL = {
    "title": "Folio Health",
    "slug": "journal",
    "seo_title": "Folio Health: evidence-minded health journalism",
    "search_description": "Reporting on new treatments, sleep, nutrition and pain, "
    "reviewed by clinicians.",
    "intro": _text("""
        Careful, evidence-minded reporting on health and wellness: new treatments, sleep,
        nutrition and pain, with every clinical article reviewed by a credentialed clinician.
        This is demo content: the articles are illustrative and are not medical advice.
    """),
}

AUTHORS = [
    {
        "slug": "amara-okafor",
        "name": "Amara Okafor",
        "credentials": "MD",
        "role": "Psychiatrist and medical reviewer",
        "colors": ("#f4a261", "#264653"),
        "bio": _text("""
            Amara Okafor is a consultant psychiatrist who treats adults with mood and anxiety
            disorders and has worked on clinical trials of rapid-acting antidepressants. She
            reviews Folio Health's mental health and sleep coverage for clinical accuracy.
        """),
    },
    {
        "slug": "sofia-lindqvist",
        "name": "Sofia Lindqvist",
        "credentials": "",
        "role": "Senior health reporter",
        "colors": ("#a8dadc", "#1d3557"),
        "bio": _text("""
            Sofia Lindqvist has reported on medicine and public health for twelve years, with a
            focus on psychiatry, sleep and the gap between trial results and everyday care.
        """),
    },
    {
        "slug": "marcus-bell",
        "name": "Marcus Bell",
        "credentials": "PsyD",
        "role": "Clinical psychologist and contributing writer",
        "colors": ("#e9c46a", "#2a9d8f"),
        "bio": _text("""
            Marcus Bell is a clinical psychologist specializing in depression and chronic pain.
            He writes about psychological treatments and how they are tested.
        """),
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "credentials": "PhD",
        "role": "Science editor",
        "colors": ("#cdb4db", "#5e548e"),
        "bio": _text("""
            Priya Raman trained as a molecular biologist before moving into science journalism.
            As science editor she checks how studies are described, from sample sizes to
            absolute risks.
        """),
    },
    {
        "slug": "tom-hartley",
        "name": "Tom Hartley",
        "credentials": "RN",
        "role": "Nurse and health writer",
        "colors": ("#ffd6a5", "#9a031e"),
        "bio": _text("""
            Tom Hartley spent a decade as a nurse in a multidisciplinary pain clinic. He writes
            about pain, musculoskeletal health and what patients ask before a procedure.
        """),
    },
    {
        "slug": "elena-vasquez",
        "name": "Elena Vasquez",
        "credentials": "MD",
        "role": "Sports medicine physician and medical reviewer",
        "colors": ("#90e0ef", "#03045e"),
        "bio": _text("""
            Elena Vasquez is a sports and musculoskeletal medicine physician. She reviews Folio
            Health's coverage of injuries, regenerative medicine and pain.
        """),
    },
    {
        "slug": "james-adeyemi",
        "name": "James Adeyemi",
        "credentials": "MD",
        "role": "Sleep medicine physician and medical reviewer",
        "colors": ("#b7e4c7", "#1b4332"),
        "bio": _text("""
            James Adeyemi is a pulmonologist and sleep medicine physician who runs a clinic for
            sleep-disordered breathing. He reviews Folio Health's sleep and evidence coverage.
        """),
    },
    {
        "slug": "noor-haddad",
        "name": "Noor Haddad",
        "credentials": "RD",
        "role": "Registered dietitian and nutrition writer",
        "colors": ("#ffafcc", "#6a4c93"),
        "bio": _text("""
            Noor Haddad is a registered dietitian who has worked in hospital and community
            nutrition. She writes about diet research and how to read it.
        """),
    },
]

TOPICS = [
    {
        "slug": "mental-health",
        "name": "Mental health",
        "description": "Depression, anxiety and the treatments for them, from talking therapies "
        "to new drugs and devices.",
    },
    {
        "slug": "regenerative-medicine",
        "name": "Regenerative medicine",
        "description": "Platelet-rich plasma, cell therapies and other attempts to help the body "
        "repair tissue, and the evidence behind them.",
    },
    {
        "slug": "nutrition",
        "name": "Nutrition",
        "description": "What we eat and what the research on diet can and cannot tell us.",
    },
    {
        "slug": "sleep",
        "name": "Sleep",
        "description": "Insomnia, body clocks, sleep apnea and how to get help with them.",
    },
    {
        "slug": "pain",
        "name": "Pain",
        "description": "Chronic and acute pain, how the nervous system shapes it, and treatments.",
    },
    {
        "slug": "evidence",
        "name": "Evidence and research",
        "description": "How studies work and how to judge the claims made about them.",
    },
]

# Studies cited in more than one article.
ZARATE_2006 = {
    "authors": "Zarate CA Jr, Singh JB, Carlson PJ, et al.",
    "title": "A randomized trial of an N-methyl-D-aspartate antagonist in treatment-resistant "
    "major depression",
    "source": "Archives of General Psychiatry",
    "year": 2006,
    "doi": "10.1001/archpsyc.63.8.856",
}

ARTICLES = [
    {
        "slug": "ketamine-assisted-psychotherapy-depression",
        "title": "Ketamine-assisted psychotherapy for depression: what the trials show",
        "subtitle": "An anesthetic with a fast antidepressant effect is increasingly paired with "
        "talk therapy. The evidence is promising in places and thin in others.",
        "summary": _text("""
            Ketamine can lift depressive symptoms within hours for some people whose depression
            has resisted other treatments, but the effect often fades within weeks. Pairing it
            with psychotherapy is meant to make the benefit last. Here is what is known, what
            the risks are and who it may suit.
        """),
        "seo_title": "Ketamine-assisted psychotherapy for depression: the evidence",
        "search_description": "What trials show about ketamine and ketamine-assisted "
        "psychotherapy for treatment-resistant depression, its risks and who it may suit.",
        "status": "live",
        "published_days_ago": 160,
        "authors": ["sofia-lindqvist", "marcus-bell"],
        "reviewer": "amara-okafor",
        "topics": ["mental-health"],
        "tags": ["ketamine", "depression", "psychotherapy", "esketamine"],
        "hero": {
            "motif": "rings",
            "colors": ("#1d3557", "#83c5be"),
            "alt": "Concentric pale rings radiating across a deep blue to teal gradient",
            "caption": "Ketamine acts on glutamate signaling, unlike most antidepressants.",
        },
        "references": [
            (
                "NICE guideline NG222: Depression in adults, treatment and management",
                "https://www.nice.org.uk/guidance/ng222",
            ),
            (
                "National Institute of Mental Health: Depression",
                "https://www.nimh.nih.gov/health/topics/depression",
            ),
        ],
        "body": [
            _h("Why ketamine drew psychiatrists' attention"),
            _p(
                """Most antidepressants take four to six weeks to show whether they are working,
                and a substantial minority of people with major depression do not improve enough
                after two or more of them. That group, usually described as having
                treatment-resistant depression, is where ketamine first made its mark. In a small
                study published in 2000, a single low-dose infusion of the anesthetic reduced
                depressive symptoms within hours, and a 2006 randomized trial at the US National
                Institute of Mental Health reproduced the finding, with improvement visible the
                day after treatment.""",
                """Ketamine works differently from the familiar serotonin-based drugs. It blocks
                NMDA receptors for glutamate, the brain's main excitatory messenger, and is
                thought to set off a burst of new synaptic connections in regions involved in
                mood. That mechanism is still being worked out, and researchers disagree about
                how much of the benefit depends on the dissociative experience itself.""",
            ),
            _h("The problem of durability"),
            _p(
                """The catch emerged early: for many patients, the improvement after a single
                infusion fades within one to two weeks. Repeated infusions, often two or three a
                week for several weeks, extend the effect. In 2019 the US Food and Drug
                Administration approved esketamine, a nasal spray containing one of ketamine's
                two mirror-image forms, for treatment-resistant depression alongside an oral
                antidepressant. It is given in certified clinics, and patients are observed for
                at least two hours afterwards.""",
                """Ketamine-assisted psychotherapy, often shortened to KAP, starts from a
                different idea. Rather than treating the drug as the whole intervention,
                clinicians use the days after a dose, when some patients describe feeling less
                stuck in rumination, as a window in which therapy may gain more traction. A
                course usually includes preparation sessions, a clinician present during dosing
                and <i>integration</i> sessions afterwards to make sense of the experience.""",
            ),
            _quote(
                """The drug can open a door, but it does not tell you what to do once you are
                through it. That is the part therapy is for.""",
                "Amara Okafor, MD, psychiatrist",
            ),
            _h("What the evidence for adding therapy looks like"),
            _p(
                """Here the evidence is much thinner than the enthusiasm. Most published studies
                of ketamine combined with psychotherapy are small, open-label, or lack a
                comparison group that received the same therapy without the drug, which makes
                it hard to know what each ingredient contributes. Pilot trials combining
                infusions with cognitive behavioral therapy or mindfulness-based approaches have
                reported benefits that lasted longer than expected from infusions alone, but
                they involved dozens of participants, not hundreds.""",
                """Larger trials of ketamine on its own say more about the drug. In a 2023 trial
                of 403 adults with treatment-resistant depression without psychosis, a course of
                ketamine infusions was found <b>noninferior</b> to electroconvulsive therapy over
                three weeks, with fewer effects on memory. That matters for people weighing
                ECT, but it tells us nothing directly about the value of added psychotherapy.""",
            ),
            _table(
                "Forms of ketamine used for depression",
                ["Form", "How it is given", "Status in the US", "Typical setting"],
                [
                    "Racemic ketamine infusion",
                    "Intravenous, usually over about 40 minutes",
                    "Approved as an anesthetic; off-label for depression",
                    "Infusion clinic or hospital",
                ],
                [
                    "Esketamine nasal spray",
                    "Self-administered under supervision",
                    "Approved for treatment-resistant depression (2019)",
                    "Certified clinic with two hours' observation",
                ],
                [
                    "Intramuscular ketamine",
                    "Injection",
                    "Off-label",
                    "Clinics offering ketamine-assisted psychotherapy",
                ],
                [
                    "Lozenges or tablets",
                    "Dissolved in the mouth",
                    "Off-label; absorption less predictable",
                    "Some telehealth services, often at home",
                ],
            ),
            _callout(
                "risks",
                "Risks and side effects",
                """During and shortly after a dose, people commonly experience dissociation
                (feeling detached from their body or surroundings), dizziness, nausea and a
                temporary rise in blood pressure. Ketamine can be misused, and heavy
                recreational use is linked to serious bladder damage.""",
                """It is generally not recommended for people with a history of psychosis,
                uncontrolled high blood pressure or certain heart and blood vessel conditions.
                Unsupervised home dosing raises additional safety questions.""",
            ),
            _h("Who it might suit"),
            _p(
                """Clinicians who offer ketamine-assisted psychotherapy generally reserve it for
                adults whose depression has not responded to at least two adequate courses of
                standard treatment, and who can commit to the preparation and follow-up
                sessions. Screening should cover blood pressure, any history of substance use
                and any psychotic illness, and the plan should say what happens if the benefit
                fades."""
            ),
            _list(
                "unordered",
                "Who assesses me, and will they see my psychiatric history?",
                "Is a licensed therapist involved before, during and after dosing sessions?",
                "How are my blood pressure and wellbeing monitored during a session?",
                "If the effect fades, is there a plan for maintenance or for stopping?",
                "What does the full course cost, and will insurance cover any of it?",
            ),
            _h("What we still don't know"),
            _p(
                """Open questions include how long benefits last once a course ends, which kind
                of therapy pairs best with the drug, whether repeated doses over many months
                carry risks not seen in short trials, and how to tell in advance who will
                respond. Randomized trials with therapy-only comparison groups are under way;
                their results should show whether the combination is more than the sum of its
                parts."""
            ),
            _references(
                ZARATE_2006,
                {
                    "authors": "Anand A, Mathew SJ, Sanacora G, et al.",
                    "title": "Ketamine versus ECT for nonpsychotic treatment-resistant major "
                    "depression",
                    "source": "New England Journal of Medicine",
                    "year": 2023,
                    "doi": "10.1056/NEJMoa2302399",
                },
            ),
        ],
    },
    {
        "slug": "stem-cells-prp-joint-injuries",
        "title": "Stem cells and PRP for joint injuries: promise, marketing and missing evidence",
        "subtitle": "Clinics advertise injections that regrow cartilage and heal tendons. The "
        "research tells a more modest story.",
        "summary": _text("""
            Platelet-rich plasma and so-called stem cell injections are widely sold for arthritic
            knees and sports injuries. Some trials suggest modest benefits for particular tendon
            problems; for knee osteoarthritis the best-controlled studies are disappointing.
            Costs are high and regulation is uneven.
        """),
        "status": "live",
        "published_days_ago": 130,
        "authors": ["tom-hartley"],
        "reviewer": "elena-vasquez",
        "topics": ["regenerative-medicine", "pain"],
        "tags": ["platelet-rich plasma", "stem cells", "osteoarthritis", "sports injuries"],
        "syndication": {"license": "cc-by-nc-nd-4.0"},
        "hero": {
            "motif": "cells",
            "colors": ("#6a040f", "#f48c06"),
            "alt": "Translucent circles like cells scattered over a dark red to amber gradient",
            "caption": "Platelet-rich plasma concentrates platelets from a patient's own blood.",
        },
        "references": [
            (
                "US Food and Drug Administration: FDA warns about stem cell therapies",
                "https://www.fda.gov/consumers/consumer-updates/fda-warns-about-stem-cell-therapies",
            ),
            (
                "ClinicalTrials.gov: registered trials of platelet-rich plasma",
                "https://clinicaltrials.gov/",
            ),
        ],
        "body": [
            _p(
                """Part one of this series looked at <a linktype="page"
                id="@ketamine-assisted-psychotherapy-depression">ketamine-assisted
                psychotherapy</a>, where a fast-acting drug has outrun the evidence on how best
                to use it. Regenerative medicine for joints has a similar shape: a compelling
                biological idea, a booming private market, and trial results that are more mixed
                than the advertising suggests."""
            ),
            _h("What is being injected"),
            _p(
                """Platelet-rich plasma (PRP) is made by drawing a patient's blood, spinning it in
                a centrifuge and concentrating the platelets, which carry growth factors involved
                in tissue repair. The concentrate is injected into a tendon, ligament or joint.
                Preparation methods vary widely between devices and clinics, which is one reason
                studies are hard to compare.""",
                """Stem cell injections for joints are usually either concentrated bone marrow
                aspirate or cells taken from fat tissue. Despite the name, these preparations
                contain a small and variable fraction of true mesenchymal stem cells, and there
                is little evidence that injected cells become new cartilage. Researchers now
                think any effect is more likely to come from signaling molecules that dampen
                inflammation.""",
            ),
            _image(
                "Illustration: platelets and repair",
                "cells",
                ("#9d0208", "#ffba08"),
                "Abstract circles of different sizes on a red and yellow gradient",
                "Preparation methods for PRP differ between clinics and devices.",
            ),
            _h("The evidence, joint by joint"),
            _p(
                """For knee osteoarthritis, the most rigorous trial to date is RESTORE, published
                in 2021: 288 adults received three injections of PRP or of saline placebo, and
                after a year there was no meaningful difference in pain or in cartilage volume on
                MRI. Some earlier trials reported benefits over hyaluronic acid or steroid
                injections, but many were small or at high risk of bias.""",
                """For tendon problems such as tennis elbow, results are mixed. A Cochrane review
                of platelet-rich therapies for soft-tissue injuries found insufficient evidence to
                support their use, though some later studies have been more encouraging for
                specific conditions.""",
            ),
            _table(
                "Where the evidence stands (simplified)",
                ["Condition", "Platelet-rich plasma", "Cell-based injections"],
                [
                    "Knee osteoarthritis",
                    "Largest placebo-controlled trial: no benefit over saline at 12 months",
                    "Small trials; no good evidence of cartilage regrowth",
                ],
                [
                    "Tennis elbow",
                    "Mixed; some trials favor PRP over steroid injections in the longer term",
                    "Very limited data",
                ],
                [
                    "Achilles and rotator cuff tendons",
                    "Mostly no clear benefit in controlled trials",
                    "Experimental",
                ],
                [
                    "Acute muscle strains",
                    "No convincing effect on return to sport",
                    "Not established",
                ],
            ),
            _h("Regulation and cost"),
            _p(
                """In the United States, PRP prepared with cleared devices can legally be
                offered, but most insurers do not cover it for joints, and a course often costs
                several hundred to a few thousand dollars. Cell products that are more than
                minimally manipulated are regulated as drugs, and the FDA has repeatedly warned
                consumers about clinics marketing unapproved stem cell treatments, some of which
                have caused serious infections."""
            ),
            _callout(
                "risks",
                "Risks and side effects",
                """PRP injections commonly cause pain and swelling for a few days, and infection
                is uncommon but possible with any joint injection. Unapproved cell products carry
                greater risks, including contamination and complications from harvesting bone
                marrow or fat. For many patients the largest risk is financial: paying out of
                pocket for a treatment unlikely to help their condition.""",
            ),
            _quote(
                """If a clinic promises to regrow cartilage, that is a claim no well-controlled
                human trial has supported. Ask them which study they are relying on.""",
                "Elena Vasquez, MD, sports medicine physician",
            ),
            _h("Who might reasonably consider it"),
            _p(
                """For a long-standing tendon problem that has not improved after a good course
                of progressive loading exercise and physical therapy, PRP is an option some
                sports medicine physicians will discuss, with honest caveats. For knee
                osteoarthritis, exercise, weight management where relevant and established pain
                relief remain the foundation, and several specialty societies advise against
                routine PRP or stem cell injections outside research."""
            ),
            _list(
                "ordered",
                "Ask what diagnosis the injection treats, and what the alternatives are.",
                "Ask for the published trials behind the clinic's claims, not testimonials.",
                "Ask how the product is prepared and whether it is FDA-approved for this use.",
                "Get the full cost in writing, including follow-up and repeat injections.",
            ),
            _references(
                {
                    "authors": "Bennell KL, Paterson KL, Metcalf BR, et al.",
                    "title": "Effect of intra-articular platelet-rich plasma vs placebo injection "
                    "on pain and medial tibial cartilage volume in patients with knee "
                    "osteoarthritis: the RESTORE randomized clinical trial",
                    "source": "JAMA",
                    "year": 2021,
                    "doi": "10.1001/jama.2021.19415",
                },
                {
                    "authors": "Moraes VY, Lenza M, Tamaoki MJ, Faloppa F, Belloti JC",
                    "title": "Platelet-rich therapies for musculoskeletal soft tissue injuries",
                    "source": "Cochrane Database of Systematic Reviews",
                    "year": 2014,
                    "doi": "10.1002/14651858.CD010071.pub3",
                },
            ),
        ],
    },
    {
        "slug": "psilocybin-depression-clinical-trials",
        "title": "Psilocybin for depression: inside the clinical trials",
        "subtitle": "Large trials are testing whether a guided dose can ease severe depression. "
        "The early results are real but modest, and the hardest questions are still open.",
        "summary": _text("""
            Psilocybin, the active compound in so-called magic mushrooms, has reduced depressive
            symptoms in controlled trials when given with psychological support. Blinding is
            difficult, long-term data are scarce, and outside research it is available only in a
            few tightly regulated programs.
        """),
        "status": "live",
        "published_days_ago": 100,
        "authors": ["marcus-bell"],
        "reviewer": "amara-okafor",
        "topics": ["mental-health"],
        "tags": ["psilocybin", "psychedelics", "depression", "clinical trials"],
        "syndication": {"allowed": False, "license": "all-rights-reserved", "attribution": ""},
        "hero": {
            "motif": "arcs",
            "colors": ("#3c096c", "#ff9e00"),
            "alt": "Sweeping pale arcs over a purple to orange gradient",
            "caption": "Trials pair a single supervised dose with preparation and follow-up.",
        },
        "references": [
            ("ClinicalTrials.gov: psilocybin studies", "https://clinicaltrials.gov/"),
            (
                "Therapeutic Goods Administration (Australia): psilocybin and MDMA prescribing",
                "https://www.tga.gov.au/",
            ),
        ],
        "body": [
            _p(
                """Like <a linktype="page"
                id="@ketamine-assisted-psychotherapy-depression">ketamine, covered in part one
                of this series</a>, psilocybin is being studied as a drug whose effects are
                shaped by the setting and the therapy around it. Unlike ketamine, it is not an
                approved medicine in most countries, and access is largely limited to clinical
                trials."""
            ),
            _h("How the trials work"),
            _p(
                """Participants typically attend several preparation sessions with two trained
                facilitators before a single dosing day. The session lasts six to eight hours in
                a quiet room, often with eyeshades and a music playlist, and the facilitators stay
                throughout. In the following days, integration sessions help participants make
                sense of what they experienced. The psychological support is part of the
                treatment being tested, not an optional extra."""
            ),
            _h("What the results show"),
            _p(
                """A 2021 trial of 59 adults with moderate to severe depression compared two doses
                of psilocybin with six weeks of the antidepressant escitalopram. On its main
                measure it found <b>no significant difference</b> between the groups; several
                secondary measures favored psilocybin, but those comparisons were not corrected
                for the number of tests run.""",
                """The largest trial so far, published in 2022, gave 233 adults with
                treatment-resistant depression a single dose of 25 mg, 10 mg or 1 mg. The 25 mg
                group improved more than the 1 mg group at three weeks, but the difference in
                sustained response at twelve weeks was not clearly significant. Suicidal thoughts
                or self-harm were reported in all groups, a reminder that these were very unwell
                patients.""",
            ),
            _table(
                "Selected randomized trials of psilocybin for depression",
                ["Trial", "Participants", "Comparison", "Main finding"],
                [
                    "Davis et al., 2021",
                    "Adults with major depression (about two dozen)",
                    "Immediate vs delayed treatment",
                    "Large reductions in symptoms compared with the waiting list",
                ],
                [
                    "Carhart-Harris et al., 2021",
                    "59 adults with moderate to severe depression",
                    "Psilocybin vs escitalopram over six weeks",
                    "No significant difference on the primary measure",
                ],
                [
                    "Goodwin et al., 2022",
                    "233 adults with treatment-resistant depression",
                    "Single dose of 25 mg vs 10 mg vs 1 mg",
                    "25 mg better than 1 mg at three weeks; less clear by twelve",
                ],
            ),
            _h("The blinding problem"),
            _p(
                """Most participants can tell whether they received an active dose of a
                psychedelic, and many volunteers arrive with high expectations. That makes
                placebo-controlled results harder to interpret than in a typical drug trial.
                Researchers have tried low doses and other active drugs as comparators, but no
                design fully solves the problem, and it should temper how large the true effect
                is assumed to be."""
            ),
            _callout(
                "risks",
                "Risks and side effects",
                """During a session people may feel intense anxiety, fear or confusion, and
                headache, nausea and rises in blood pressure and heart rate are common. Trials
                exclude people with a personal or family history of psychosis or bipolar I
                disorder, and psilocybin may interact dangerously with lithium.""",
                """Mushrooms bought outside regulated settings vary widely in potency and may be
                misidentified, and they are used without screening or support.""",
            ),
            _callout(
                "note",
                "Legal status",
                """Psilocybin remains a controlled substance under US federal law. Oregon and
                Colorado have created state-regulated programs for supervised use, and since 2023
                authorized psychiatrists in Australia may prescribe it for treatment-resistant
                depression.""",
            ),
            _h("What remains unknown"),
            _list(
                "unordered",
                "How long benefits last after a single dose, and whether repeat doses are safe.",
                "Which patients are most likely to respond, and who may be harmed.",
                "How much of the effect comes from the drug and how much from the therapy.",
                "Whether results hold up outside specialist trial centers.",
            ),
            _references(
                {
                    "authors": "Carhart-Harris R, Giribaldi B, Watts R, et al.",
                    "title": "Trial of psilocybin versus escitalopram for depression",
                    "source": "New England Journal of Medicine",
                    "year": 2021,
                    "doi": "10.1056/NEJMoa2032994",
                },
                {
                    "authors": "Goodwin GM, Aaronson ST, Alvarez O, et al.",
                    "title": "Single-dose psilocybin for a treatment-resistant episode of major "
                    "depression",
                    "source": "New England Journal of Medicine",
                    "year": 2022,
                    "doi": "10.1056/NEJMoa2206443",
                },
                {
                    "authors": "Davis AK, Barrett FS, May DG, et al.",
                    "title": "Effects of psilocybin-assisted therapy on major depressive disorder: "
                    "a randomized clinical trial",
                    "source": "JAMA Psychiatry",
                    "year": 2021,
                    "doi": "10.1001/jamapsychiatry.2020.3285",
                },
            ),
        ],
    },
    {
        "slug": "cbt-insomnia-first-line-treatment",
        "title": "CBT for insomnia: the first-line treatment few people are offered",
        "subtitle": "Guidelines recommend a structured talking therapy before sleeping pills. "
        "Here is what it involves, and why it can feel worse before it gets better.",
        "summary": _text("""
            Cognitive behavioral therapy for insomnia, or CBT-I, is the recommended first
            treatment for chronic insomnia in adults, and its effects tend to outlast those of
            medication. It is demanding, access is limited, and digital versions are filling
            some of the gap.
        """),
        "status": "live",
        "published_days_ago": 80,
        "authors": ["sofia-lindqvist"],
        "reviewer": "james-adeyemi",
        "topics": ["sleep", "mental-health"],
        "tags": ["insomnia", "CBT-I", "sleep restriction"],
        "hero": {
            "motif": "waves",
            "colors": ("#22223b", "#9a8c98"),
            "alt": "Gentle pale waves across a dusk-colored gradient",
            "caption": "Chronic insomnia means poor sleep at least three nights a week for "
            "three months.",
        },
        "references": [
            ("American Academy of Sleep Medicine", "https://aasm.org/"),
        ],
        "body": [
            _h("What counts as chronic insomnia"),
            _p(
                """Almost everyone sleeps badly sometimes. Chronic insomnia is different: trouble
                falling asleep, staying asleep or waking too early on at least three nights a
                week for at least three months, despite enough opportunity to sleep, and with
                real effects on the day that follows. Around one adult in ten meets that
                definition at any given time, and it often travels with anxiety, depression or
                chronic pain."""
            ),
            _h("Why guidelines put therapy first"),
            _p(
                """In 2016 the American College of Physicians recommended CBT-I as the initial
                treatment for chronic insomnia in adults, ahead of medication, and the American
                Academy of Sleep Medicine made a strong recommendation for it in 2021. In trials,
                the improvements from a course of CBT-I are roughly comparable to those from
                sleeping pills in the short term and tend to last after treatment ends, without
                the risks of dependence or next-day impairment."""
            ),
            _h("What a course involves"),
            _p(
                """CBT-I usually runs for four to eight weekly sessions with a trained clinician,
                in person, by video or in a group. It relies on a sleep diary kept throughout,
                and combines several components:"""
            ),
            _list(
                "ordered",
                "Sleep restriction: limiting time in bed to roughly the time actually spent "
                "asleep, then extending it as sleep consolidates.",
                "Stimulus control: going to bed only when sleepy and getting up if unable to "
                "sleep, so the bed becomes linked with sleep again.",
                "Cognitive work on worries about sleep that keep the mind alert at night.",
                "Relaxation techniques and a review of habits such as caffeine and screen use.",
            ),
            _table(
                "An example of sleep restriction in practice",
                ["Week", "Time allowed in bed", "Rule for the next week"],
                ["1", "Midnight to 6 a.m.", "Based on about six hours of actual sleep"],
                ["2", "11:45 p.m. to 6 a.m.", "Add 15 minutes if asleep most of the time"],
                ["3", "11:30 p.m. to 6 a.m.", "Keep the wake time fixed, even at weekends"],
            ),
            _callout(
                "warning",
                "It can feel worse at first",
                """Sleep restriction usually causes more daytime sleepiness in the first week or
                two. People who drive for a living or operate machinery need to plan for this,
                and those with bipolar disorder, epilepsy or untreated sleep apnea should only
                use sleep restriction under close clinical supervision, because lost sleep can
                trigger relapse or seizures.""",
            ),
            _quote(
                """Patients are often surprised that the treatment for too little sleep starts by
                spending less time in bed. It is the part that makes the biggest difference.""",
                "James Adeyemi, MD, sleep medicine physician",
            ),
            _h("Access, and digital options"),
            _p(
                """The main obstacle is supply: there are far too few clinicians trained in CBT-I.
                Digital programs that deliver the same components through an app or website have
                shown benefits in randomized trials, and some are available through health
                systems or employers. They suit people who are motivated to keep a diary and
                follow the rules without a therapist checking in; others do better with a
                person."""
            ),
            _references(
                {
                    "authors": "Qaseem A, Kansagara D, Forciea MA, et al.",
                    "title": "Management of chronic insomnia disorder in adults: a clinical "
                    "practice guideline from the American College of Physicians",
                    "source": "Annals of Internal Medicine",
                    "year": 2016,
                    "doi": "10.7326/M15-2175",
                },
                {
                    "authors": "Edinger JD, Arnedt JT, Bertisch SM, et al.",
                    "title": "Behavioral and psychological treatments for chronic insomnia "
                    "disorder in adults: an American Academy of Sleep Medicine clinical "
                    "practice guideline",
                    "source": "Journal of Clinical Sleep Medicine",
                    "year": 2021,
                    "doi": "10.5664/jcsm.8986",
                },
            ),
        ],
    },
    {
        "slug": "melatonin-what-it-can-and-cannot-do",
        "title": "Melatonin: what the supplement can and can't do",
        "subtitle": "It is a hormone, a timing signal and a best-selling sleep aid. The evidence "
        "supports narrower uses than the marketing.",
        "summary": _text("""
            Melatonin helps shift the body clock, which makes it useful for jet lag and some
            circadian rhythm disorders. For ordinary insomnia its effect on sleep is small, and
            product labels are not always accurate.
        """),
        "status": "live",
        "published_days_ago": 62,
        "authors": ["priya-raman", "noor-haddad"],
        "reviewer": "james-adeyemi",
        "topics": ["sleep", "nutrition"],
        "tags": ["melatonin", "supplements", "jet lag", "circadian rhythm"],
        "syndication": {"license": "cc-by-4.0"},
        "hero": {
            "motif": "grid",
            "colors": ("#0b132b", "#5bc0be"),
            "alt": "Rows of soft round and square shapes, like tablets, on a night-blue gradient",
            "caption": "Melatonin is sold as a supplement in the US but needs a prescription in "
            "some countries, including the UK.",
        },
        "references": [
            (
                "NCCIH: Melatonin, what you need to know",
                "https://www.nccih.nih.gov/health/melatonin-what-you-need-to-know",
            ),
        ],
        "body": [
            _p(
                """Melatonin is not a sedative. The pineal gland releases it in the evening as
                light fades, and it acts as a signal of biological night that helps set the
                timing of sleep and other daily rhythms. That distinction explains most of what
                the research shows: melatonin is better at shifting <i>when</i> you sleep than
                at knocking you out."""
            ),
            _h("Where the evidence is stronger"),
            _p(
                """For jet lag, especially after flying east across several time zones, taking
                melatonin close to the target bedtime at the destination can reduce symptoms.
                For delayed sleep-wake phase disorder, in which people cannot fall asleep until
                the early hours, a low dose taken several hours before the usual sleep time can
                move the body clock earlier. It is also used for some children with autism or
                neurodevelopmental conditions, under specialist guidance."""
            ),
            _h("Where it is weaker"),
            _p(
                """For chronic insomnia, meta-analyses find that melatonin shortens the time taken
                to fall asleep by only a few minutes on average, with little change in total
                sleep. That is why guidelines for insomnia in adults do not recommend it, and
                why <a linktype="page" id="@cbt-insomnia-first-line-treatment">cognitive
                behavioral therapy for insomnia</a>, covered in part one of this series, remains
                the first-line treatment."""
            ),
            _table(
                "Melatonin at a glance",
                ["Use", "Evidence", "Practical note"],
                ["Jet lag", "Moderate", "Time doses to bedtime at the destination"],
                [
                    "Delayed sleep-wake phase",
                    "Moderate",
                    "Low doses several hours before habitual sleep time",
                ],
                ["Chronic insomnia in adults", "Weak", "Small effect; not guideline-recommended"],
                ["Shift work", "Limited", "Light exposure and scheduling matter more"],
            ),
            _h("What is in the bottle"),
            _p(
                """In the US melatonin is sold as a dietary supplement, so products are not
                checked for content before sale. A 2017 analysis of supplements bought in Canada
                found melatonin content ranging from far below to several times above the label,
                and some products contained serotonin. A 2023 study of melatonin gummies sold in
                the US found most did not match their labels, and some also contained
                cannabidiol. In the UK and some other countries melatonin is available only on
                prescription."""
            ),
            _callout(
                "risks",
                "Side effects and cautions",
                """Melatonin is generally well tolerated in the short term, but it can cause
                headache, dizziness, nausea and next-day drowsiness. It may interact with blood
                thinners, some epilepsy medicines and drugs that suppress the immune system.
                Poison centers have reported rising numbers of children swallowing gummies, so
                keep them out of reach.""",
            ),
            _list(
                "unordered",
                "Talk to a clinician first if you are pregnant, take other medicines or are "
                "buying it for a child.",
                "Choose products with independent third-party testing.",
                "Start with a low dose; more is not necessarily better for shifting the clock.",
                "If sleeplessness persists for months, ask about assessment for insomnia.",
            ),
            _references(
                {
                    "authors": "Erland LAE, Saxena PK",
                    "title": "Melatonin natural health products and supplements: presence of "
                    "serotonin and significant variability of melatonin content",
                    "source": "Journal of Clinical Sleep Medicine",
                    "year": 2017,
                    "doi": "10.5664/jcsm.6462",
                },
                {
                    "authors": "Cohen PA, Avula B, Wang YH, Katragunta K, Khan I",
                    "title": "Quantity of melatonin and CBD in melatonin gummies sold in the US",
                    "source": "JAMA",
                    "year": 2023,
                    "doi": "10.1001/jama.2023.2296",
                },
            ),
        ],
    },
    {
        "slug": "sleep-apnea-who-should-get-tested",
        "title": "Sleep apnea is underdiagnosed. Here's who should get tested",
        "subtitle": "Loud snoring and daytime exhaustion are the familiar signs, but many people "
        "with obstructive sleep apnea don't fit the stereotype.",
        "summary": _text("""
            Obstructive sleep apnea is common, often missed, and linked to high blood pressure,
            accidents and poorer quality of life. Home testing has made diagnosis easier, and
            treatment now goes beyond the CPAP machine.
        """),
        "status": "live",
        "published_days_ago": 45,
        "authors": ["tom-hartley"],
        "reviewer": "james-adeyemi",
        "topics": ["sleep"],
        "tags": ["sleep apnea", "snoring", "CPAP"],
        "hero": {
            "motif": "waves",
            "colors": ("#03045e", "#48cae4"),
            "alt": "Layered wave lines in blues, suggesting breathing during sleep",
            "caption": "In obstructive sleep apnea the upper airway repeatedly narrows or closes "
            "during sleep.",
        },
        "references": [
            (
                "National Heart, Lung, and Blood Institute: Sleep apnea",
                "https://www.nhlbi.nih.gov/health/sleep-apnea",
            ),
        ],
        "body": [
            _h("What happens during an apnea"),
            _p(
                """In obstructive sleep apnea, the muscles holding the upper airway open relax
                during sleep until the airway narrows or closes. Breathing falters, oxygen levels
                dip and the brain briefly rouses the sleeper to restart it, often dozens of times
                an hour, usually without any memory of waking. The result is fragmented sleep and
                repeated strain on the heart and blood vessels."""
            ),
            _h("Who is at risk"),
            _p(
                """Risk rises with age, excess weight and a large neck circumference, and men are
                affected more often than women before middle age. But women after menopause,
                people with a small or set-back jaw, and people of normal weight can all have it.
                Women are more likely to report fatigue, insomnia or morning headaches than
                classic loud snoring, which is one reason they are diagnosed later. A 2019
                analysis estimated that close to a billion adults worldwide may have some degree
                of the condition."""
            ),
            _list(
                "unordered",
                "Loud, habitual snoring, or pauses in breathing noticed by a partner",
                "Waking unrefreshed, or dozing off when reading, watching TV or driving",
                "Morning headaches, a dry mouth, or waking to urinate several times a night",
                "High blood pressure that is hard to control with medication",
            ),
            _callout(
                "warning",
                "Drowsy driving",
                """If you have nodded off while driving or stopped at lights, stop driving and see
                a clinician promptly. Untreated sleep apnea substantially increases the risk of
                crashes, and treatment reduces it.""",
            ),
            _h("Getting tested"),
            _p(
                """Clinicians often start with a short questionnaire such as STOP-BANG, which asks
                about snoring, tiredness, observed pauses, blood pressure, body mass index, age,
                neck size and sex. For many adults with a high likelihood of moderate or severe
                apnea and no major heart or lung disease, a home sleep apnea test is enough. A
                full overnight study in a sleep lab is still needed when the picture is more
                complicated. Severity is usually graded by the number of breathing events per
                hour of sleep."""
            ),
            _table(
                "How severity is graded in adults",
                ["Severity", "Breathing events per hour (AHI)"],
                ["Normal", "Fewer than 5"],
                ["Mild", "5 to 14"],
                ["Moderate", "15 to 29"],
                ["Severe", "30 or more"],
            ),
            _h("Treatment beyond CPAP"),
            _p(
                """Continuous positive airway pressure, delivered through a mask, remains the
                most effective treatment for moderate and severe apnea, and modern machines are
                quieter and smaller than their reputation. For people who cannot tolerate it,
                options include custom oral appliances that hold the lower jaw forward, devices
                that discourage sleeping on the back, and, for selected patients, an implanted
                stimulator of the nerve that controls the tongue. Weight loss can reduce
                severity, and in late 2024 the FDA approved tirzepatide for moderate to severe
                apnea in adults with obesity. As with <a linktype="page"
                id="@cbt-insomnia-first-line-treatment">insomnia</a>, the best treatment is the
                one a person can keep using."""
            ),
            _references(
                {
                    "authors": "Benjafield AV, Ayas NT, Eastwood PR, et al.",
                    "title": "Estimation of the global prevalence and burden of obstructive sleep "
                    "apnoea: a literature-based analysis",
                    "source": "The Lancet Respiratory Medicine",
                    "year": 2019,
                    "doi": "10.1016/S2213-2600(19)30198-5",
                },
            ),
        ],
    },
    {
        "slug": "chronic-back-pain-brain",
        "title": "Chronic back pain: why the brain is part of the story",
        "subtitle": "Newer treatments target how the nervous system processes pain, not only the "
        "spine. That is not a claim that the pain is imaginary.",
        "summary": _text("""
            For many people with chronic low back pain, scans show little that explains their
            symptoms. Approaches such as pain reprocessing therapy aim to change how the nervous
            system responds, with encouraging trial results and important caveats.
        """),
        "status": "live",
        "published_days_ago": 115,
        "authors": ["marcus-bell", "tom-hartley"],
        "reviewer": "elena-vasquez",
        "topics": ["pain", "mental-health"],
        "tags": ["back pain", "chronic pain", "pain reprocessing therapy"],
        "hero": {
            "motif": "arcs",
            "colors": ("#283618", "#dda15e"),
            "alt": "Overlapping arcs on an olive to ochre gradient",
            "caption": "Disc bulges and other scan findings are common in people with no pain.",
        },
        "references": [
            (
                "NICE guideline NG59: Low back pain and sciatica in over 16s",
                "https://www.nice.org.uk/guidance/ng59",
            ),
        ],
        "body": [
            _p(
                """Low back pain is the leading cause of years lived with disability worldwide.
                Most episodes improve within weeks, but for a minority the pain persists for
                months or years. For many of them, imaging does not explain why: disc bulges,
                worn joints and other findings are common in people of the same age who have no
                pain at all."""
            ),
            _h("Pain as a protective output"),
            _p(
                """Pain scientists describe pain as something the nervous system produces to
                protect the body, based on signals from the tissues but also on context, memory
                and threat. When pain persists, the system can become more sensitive, so that
                ordinary movement produces pain even after tissues have healed. The term
                <i>nociplastic pain</i> describes pain that arises mainly from this altered
                processing. Saying the brain is involved is not saying the pain is imagined; all
                pain is produced by the nervous system."""
            ),
            _h("What the trials show"),
            _p(
                """In a 2022 randomized trial of 151 adults with chronic back pain, four weeks of
                pain reprocessing therapy, which teaches people to reappraise pain as a signal
                from a sensitized system rather than from damage, left about two thirds of
                participants pain-free or nearly so, compared with about a fifth of those given
                a placebo injection and a tenth of those continuing usual care. Many of the gains
                were maintained a year later.""",
                """The trial had limits: it was run at one university site, most participants
                were highly educated and white, and the therapists were enthusiastic about the
                approach. Other methods that work on the same system, including graded activity,
                exercise therapy and cognitive functional therapy, have supportive evidence of
                their own.""",
            ),
            _quote(
                """The most useful thing we can say to many patients is that hurt does not always
                mean harm, and then help them test that safely.""",
                "Elena Vasquez, MD, sports medicine physician",
            ),
            _callout(
                "warning",
                "When back pain needs urgent attention",
                """Seek medical care promptly if back pain comes with numbness around the
                genitals or buttocks, new difficulty controlling bladder or bowels, weakness in
                the legs, fever, unexplained weight loss, a history of cancer, or follows a
                significant fall or injury.""",
            ),
            _h("What tends to help"),
            _list(
                "unordered",
                "Staying as active as possible, with a gradual return to valued activities",
                "Structured exercise programs, of almost any type, supervised at first",
                "Psychological approaches that address fear of movement and pain worry",
                "Short-term medicines where appropriate, reviewed rather than renewed by habit",
            ),
            _p(
                """Guidelines generally advise against routine imaging for back pain without red
                flags, and against long-term opioids. Injections have a limited role; our series
                piece on <a linktype="page" id="@stem-cells-prp-joint-injuries">stem cells and
                PRP</a> explains why the evidence behind some of the newer ones is thin."""
            ),
            _references(
                {
                    "authors": "Ashar YK, Gordon A, Schubiner H, et al.",
                    "title": "Effect of pain reprocessing therapy vs placebo and usual care for "
                    "patients with chronic back pain: a randomized clinical trial",
                    "source": "JAMA Psychiatry",
                    "year": 2022,
                    "doi": "10.1001/jamapsychiatry.2021.2669",
                },
            ),
        ],
    },
    {
        "slug": "ultra-processed-food-evidence",
        "title": "Ultra-processed food: what the evidence does and doesn't show",
        "subtitle": "The term is everywhere. The science behind it is a mix of one striking trial, "
        "many observational studies and an ongoing argument over definitions.",
        "summary": _text("""
            Diets high in ultra-processed food are consistently linked with poorer health, and a
            tightly controlled trial found people ate more calories on such a diet. Whether
            processing itself is the problem, and which foods matter most, is still debated.
        """),
        "seo_title": "Ultra-processed food and health: what the evidence shows",
        "search_description": "The NOVA classification, the inpatient trial on ultra-processed "
        "diets and the limits of observational studies, explained.",
        "status": "live",
        "published_days_ago": 33,
        "authors": ["noor-haddad"],
        "topics": ["nutrition", "evidence"],
        "tags": ["ultra-processed food", "diet", "NOVA"],
        "hero": {
            "motif": "grid",
            "colors": ("#386641", "#f2e8cf"),
            "alt": "A loose grid of rounded shapes on a green to cream gradient",
            "caption": "The NOVA system sorts foods by how they are processed, not by nutrients.",
        },
        "references": [
            (
                "World Health Organization: Healthy diet",
                "https://www.who.int/news-room/fact-sheets/detail/healthy-diet",
            ),
        ],
        "body": [
            _h("Where the term comes from"),
            _p(
                """The idea of ultra-processed food comes from the NOVA classification,
                developed by researchers in Brazil, which sorts foods into four groups by the
                extent and purpose of their processing rather than by their nutrients.
                Ultra-processed foods are industrial formulations, typically made with
                ingredients rarely used in home kitchens, such as flavor enhancers, emulsifiers
                and modified starches."""
            ),
            _table(
                "The four NOVA groups",
                ["Group", "Description", "Examples"],
                ["1", "Unprocessed or minimally processed", "Fruit, vegetables, eggs, milk, oats"],
                ["2", "Processed culinary ingredients", "Oils, butter, sugar, salt"],
                ["3", "Processed foods", "Cheese, canned beans, fresh bread, smoked fish"],
                [
                    "4",
                    "Ultra-processed foods",
                    "Soft drinks, packaged snacks, reconstituted meats, many breakfast cereals",
                ],
            ),
            _h("The observational evidence"),
            _p(
                """Large cohort studies in many countries have linked diets high in
                ultra-processed food with higher risks of obesity, type 2 diabetes,
                cardiovascular disease, depression and earlier death. The associations are
                consistent, but people who eat a lot of these foods also differ in income,
                smoking, activity and much else, and statistical adjustment cannot remove all of
                that."""
            ),
            _h("The trial everyone cites"),
            _p(
                """In 2019 researchers at the US National Institutes of Health admitted 20 adults
                to a metabolic ward for four weeks. For two weeks they were offered an
                ultra-processed diet and for two weeks a minimally processed one, matched for
                calories, sugar, fat, fiber and salt on the plate, and told to eat as much as
                they liked. On the ultra-processed diet they ate about 500 more calories a day
                and gained around a kilogram; on the other they lost about the same.""",
                """It was a rigorous study, but small and short, and it cannot say which features
                of the food drove the difference: candidates include how fast it is eaten,
                energy density and palatability.""",
            ),
            _callout(
                "key-points",
                "Key points",
                """The category is broad: it lumps wholegrain packaged bread with soft drinks,
                and the evidence is strongest for sugary drinks and processed meats.""",
                """Replacing ultra-processed foods with minimally processed ones is consistent
                with long-standing dietary advice, whatever the final verdict on processing.""",
            ),
            _list(
                "unordered",
                "Cook from basic ingredients when you can, even simply.",
                "Check labels for long lists of unfamiliar additives as a rough guide.",
                "Prioritize swapping sugary drinks and processed meats.",
                "Don't avoid useful convenience foods such as canned beans or frozen vegetables.",
            ),
            _references(
                {
                    "authors": "Hall KD, Ayuketah A, Brychta R, et al.",
                    "title": "Ultra-processed diets cause excess calorie intake and weight gain: "
                    "an inpatient randomized controlled trial of ad libitum food intake",
                    "source": "Cell Metabolism",
                    "year": 2019,
                    "doi": "10.1016/j.cmet.2019.05.008",
                },
            ),
        ],
    },
    {
        "slug": "exercise-treatment-depression",
        "title": "Exercise as a treatment for depression: how strong is the case?",
        "subtitle": "A growing body of trials suggests movement can ease depressive symptoms. It "
        "is a real treatment, with real limits.",
        "summary": _text("""
            Hundreds of randomized trials suggest that walking, strength training, yoga and
            other exercise reduce symptoms of depression, with effects comparable to some
            established treatments. Trial quality varies, and exercise is not a substitute for
            urgent care in severe depression.
        """),
        "seo_title": "Exercise for depression: what the trials show",
        "search_description": "How well exercise works for depression, which types have been "
        "studied, and who should not rely on it alone.",
        "status": "live",
        "published_days_ago": 18,
        "authors": ["priya-raman"],
        "reviewer": "amara-okafor",
        "topics": ["mental-health"],
        "tags": ["exercise", "depression", "walking"],
        "syndication": {"license": "cc-by-4.0"},
        "hero": {
            "motif": "arcs",
            "colors": ("#023e8a", "#90e0ef"),
            "alt": "Broad curved strokes across a bright blue gradient",
            "caption": "Walking and jogging were among the most studied forms of exercise.",
        },
        "references": [
            (
                "NICE guideline NG222: Depression in adults",
                "https://www.nice.org.uk/guidance/ng222",
            ),
        ],
        "body": [
            _p(
                """For decades exercise has been recommended for mood in a general way. The
                research has now grown large enough to ask a sharper question: does it work as a
                treatment for diagnosed depression, and how does it compare with the
                alternatives?"""
            ),
            _h("What the research shows"),
            _p(
                """A 2024 systematic review and network meta-analysis in the BMJ pooled more than
                200 randomized trials involving around 14,000 people with depression. Walking or
                jogging, yoga, strength training and mixed aerobic exercise all reduced symptoms
                compared with control conditions, and more vigorous exercise tended to do better
                than light activity. The estimated effects were in the same range as
                psychotherapy and antidepressants in similar analyses.""",
                """The authors rated the certainty of much of the evidence as low. Participants
                cannot be blinded to whether they are exercising, people who volunteer for
                exercise trials may be unusually motivated, and dropout rates were often
                high.""",
                """Why exercise might help is less settled. Proposed explanations include effects
                on inflammation and stress hormones, the growth of new connections in the
                hippocampus, better sleep, and psychological routes such as a sense of mastery
                and the social contact of group classes. Most have been shown in animals or in
                small human studies, and several probably act together.""",
            ),
            _callout(
                "key-points",
                "Key points",
                """Several kinds of exercise appear to help; the best one is the one a person
                will keep doing. Structured, supervised programs showed larger effects than
                general advice to be more active.""",
            ),
            _h("Who it suits, and who needs more"),
            _p(
                """Guidelines such as NICE's list group exercise among first-line options for
                less severe depression. For severe depression, thoughts of suicide, or
                depression that has not responded to treatment, exercise can be part of care
                but should not replace it; options for treatment-resistant depression include
                medication changes, psychotherapy and newer approaches such as <a
                linktype="page" id="@ketamine-assisted-psychotherapy-depression">ketamine</a>.
                Low energy and motivation are symptoms of depression, so advice to simply
                exercise more can feel impossible without support."""
            ),
            _list(
                "ordered",
                "Start small: ten minutes of walking counts.",
                "Schedule it, ideally with another person or a group.",
                "Build up gradually towards moderate or vigorous effort most days.",
                "Tell your clinician, so progress can be tracked alongside other treatment.",
            ),
            _quote(
                """We prescribe exercise the way we prescribe anything else: a dose, a plan, and
                a follow-up to see whether it is working.""",
                "Amara Okafor, MD, psychiatrist",
            ),
            _references(
                {
                    "authors": "Noetel M, Sanders T, Gallardo-Gómez D, et al.",
                    "title": "Effect of exercise for depression: systematic review and network "
                    "meta-analysis of randomised controlled trials",
                    "source": "BMJ",
                    "year": 2024,
                    "doi": "10.1136/bmj-2023-075847",
                },
            ),
        ],
    },
    {
        "slug": "how-to-read-a-health-study-headline",
        "title": "Members' briefing: how to read a health headline about a new study",
        "subtitle": "Seven questions that separate a meaningful finding from an overexcited "
        "press release.",
        "summary": _text("""
            Before acting on a headline about a new study, ask who was studied, what they were
            compared with, and whether the risk figures are relative or absolute. A checklist
            for readers, available to signed-in members.
        """),
        "status": "login",
        "published_days_ago": 9,
        "authors": ["priya-raman"],
        "reviewer": "james-adeyemi",
        "topics": ["evidence"],
        "tags": ["research literacy", "relative risk", "clinical trials"],
        "hero": {
            "motif": "grid",
            "colors": ("#343a40", "#adb5bd"),
            "alt": "A grid of muted shapes on a grey gradient, like a table of results",
            "caption": "Most single studies move the evidence a little, not a lot.",
        },
        "references": [
            ("Cochrane: Evidence-based health care", "https://www.cochrane.org/"),
        ],
        "body": [
            _p(
                """Health headlines compress months of research into a few words, and something
                is always lost. The questions below will not turn anyone into a statistician, but
                they catch most of the common ways a finding is overstated. We use them at Folio
                Health before deciding whether a study is worth covering at all."""
            ),
            _h("The checklist"),
            _list(
                "ordered",
                "Was the study in people, or in cells or animals?",
                "How many people took part, and were they like you?",
                "Was there a comparison group, and were people randomly assigned to it?",
                "Is the result a link between two things, or evidence that one causes the other?",
                "Are risks given as relative or absolute figures?",
                "Did the study measure what matters to patients, or a lab marker?",
                "Who funded it, and has it been peer reviewed?",
            ),
            _h("Relative and absolute risk"),
            _p(
                """The single most useful habit is to look for absolute numbers. A treatment that
                "halves the risk" of a condition sounds dramatic, but if the risk falls from two
                in a thousand to one in a thousand, a thousand people must be treated for one to
                benefit. Both statements describe the same result."""
            ),
            _table(
                "The same result, described three ways",
                ["Way of describing it", "Figure"],
                ["Relative risk reduction", "50%"],
                ["Absolute risk reduction", "0.1 percentage points (2 in 1,000 to 1 in 1,000)"],
                ["Number needed to treat", "1,000 people for one to benefit"],
            ),
            _h("Surrogate outcomes and preprints"),
            _p(
                """Many studies measure a surrogate, such as a blood marker or a scan finding,
                because it changes faster than the outcomes people care about, like heart
                attacks or survival. Surrogates sometimes mislead: drugs have improved the
                marker while failing to improve, or even worsening, the outcome. And studies
                posted as preprints have not yet been peer reviewed; some change substantially
                before publication, and a few never appear.""",
                """For a worked example of these questions in action, see our reporting on
                <a linktype="page" id="@psilocybin-depression-clinical-trials">psilocybin
                trials</a>, where a headline result and a trial's primary outcome told
                different stories.""",
            ),
            _p(
                """Finally, consider who is making the claim. University press offices, journals
                and companies all have reasons to present results favorably, and research on
                health news has found that exaggeration often starts in the press release rather
                than the newsroom. Reading the abstract, or at least the study's own list of
                limitations, is a quick corrective."""
            ),
            _callout(
                "tip",
                "A rule of thumb",
                """One study rarely settles anything. Look for whether the finding fits with
                systematic reviews of all the evidence on the question.""",
            ),
        ],
    },
    {
        "slug": "creatine-brain-health-early-research",
        "title": "Creatine and the brain: early research beyond the gym",
        "subtitle": "One of the best-studied sports supplements is being tested for memory, "
        "mood and recovery from sleep loss. The results are early.",
        "summary": _text("""
            Creatine's effects on muscle strength are well established. Small trials now
            suggest possible benefits for some aspects of brain function, particularly under
            stress or in people with low dietary intake, but the evidence is preliminary.
        """),
        "status": "draft",
        "authors": ["noor-haddad"],
        "reviewer": "amara-okafor",
        "topics": ["nutrition", "mental-health"],
        "tags": ["creatine", "supplements", "cognition"],
        "hero": {
            "motif": "cells",
            "colors": ("#14213d", "#fca311"),
            "alt": "Circles of different sizes on a navy to gold gradient",
            "caption": "The brain uses creatine to buffer its energy supply.",
        },
        "references": [
            ("NIH Office of Dietary Supplements", "https://ods.od.nih.gov/"),
        ],
        "body": [
            _p(
                """Creatine is a compound made in the liver and kidneys and found in meat and
                fish. In muscle it helps regenerate the cell's energy currency during short,
                intense efforts, and dozens of trials show that supplements modestly improve
                strength and power when combined with training. The brain uses creatine too,
                which has prompted researchers to ask whether supplements could help it under
                strain."""
            ),
            _h("What the brain studies suggest"),
            _p(
                """Small randomized trials have tested creatine for short-term memory and
                reasoning in healthy adults, with the most consistent signals in older adults
                and in people with low intake, such as vegetarians. Others have looked at
                performance after sleep deprivation, where a few studies suggest creatine may
                blunt the decline in some tasks. A handful of trials have tested it as an add-on
                to antidepressants in depression, with encouraging but very preliminary
                results.""",
                """These studies are mostly short and small, used different doses and measured
                many outcomes, which increases the chance of false positives. Brain imaging
                studies show that oral creatine raises brain levels less reliably than muscle
                levels.""",
            ),
            _callout(
                "risks",
                "Safety",
                """At the commonly used 3 to 5 grams a day, creatine is well tolerated by
                healthy adults; some people notice water retention or stomach upset. People with
                kidney disease should not take it without medical advice, and it can raise a
                blood test used to estimate kidney function, which may cause confusion.""",
            ),
            _h("How it is taken"),
            _p(
                """Most studies use creatine monohydrate, the cheapest and best-studied form, at
                3 to 5 grams a day, sometimes after a week of higher loading doses. Brain studies
                have often used larger doses than muscle studies, because the brain takes up
                creatine less readily, and the safety of high doses over long periods is less
                well studied. Newer forms marketed as better absorbed have not been shown to
                work better."""
            ),
            _h("Should you take it for your brain?"),
            _p(
                """Not on current evidence alone. For people already taking creatine for
                training, the brain findings are an interesting possible bonus. For anyone
                considering it to treat low mood or memory problems, those symptoms deserve a
                proper assessment first. Choose products with independent testing, since
                supplements are not checked before sale."""
            ),
            _list(
                "unordered",
                "Well established: strength and power with resistance training",
                "Promising but early: cognition under stress, in older adults and vegetarians",
                "Unproven: treatment of depression or dementia",
            ),
        ],
    },
    {
        "slug": "tms-depression-patient-guide",
        "title": "Transcranial magnetic stimulation for depression: a patient's guide",
        "subtitle": "Magnetic pulses delivered through the scalp are an established option for "
        "depression that has not responded to medication. Here is what a course involves.",
        "summary": _text("""
            Transcranial magnetic stimulation (TMS) uses magnetic pulses to stimulate a region of
            the brain involved in mood. It does not need anesthesia, most people return to normal
            activities straight after sessions, and newer accelerated schedules are shortening
            the course.
        """),
        "status": "scheduled",
        "go_live_in_days": 10,
        "authors": ["sofia-lindqvist"],
        "reviewer": "amara-okafor",
        "topics": ["mental-health"],
        "tags": ["TMS", "depression", "neuromodulation"],
        "hero": {
            "motif": "rings",
            "colors": ("#240046", "#c77dff"),
            "alt": "Concentric rings spreading out from a point on a violet gradient",
            "caption": "A coil held against the scalp delivers brief magnetic pulses.",
        },
        "references": [
            (
                "National Institute of Mental Health: Brain stimulation therapies",
                "https://www.nimh.nih.gov/health/topics/brain-stimulation-therapies",
            ),
        ],
        "body": [
            _p(
                """For people whose depression has not improved with medication, the options can
                feel limited to trying yet another pill. Transcranial magnetic stimulation, first
                cleared by the FDA for depression in 2008, is a different kind of treatment: it
                acts on brain circuits directly, without a general anesthetic or the memory
                effects associated with electroconvulsive therapy. It sits alongside other
                options for treatment-resistant depression, including <a linktype="page"
                id="@ketamine-assisted-psychotherapy-depression">ketamine</a> and structured
                <a linktype="page" id="@exercise-treatment-depression">exercise</a>."""
            ),
            _h("What a session is like"),
            _p(
                """You sit in a reclining chair while a technician positions a magnetic coil
                against your head, usually over the left dorsolateral prefrontal cortex, a region
                involved in mood regulation. The pulses produce a tapping sound and sensation,
                and earplugs are worn. The first session includes finding the right strength of
                stimulation for you. Afterwards you can drive home and get on with your day."""
            ),
            _table(
                "Common TMS schedules",
                ["Protocol", "Session length", "Typical course"],
                ["Standard rTMS", "About 20 to 40 minutes", "Daily on weekdays for 4 to 6 weeks"],
                ["Theta burst", "About 3 minutes", "Daily on weekdays for 4 to 6 weeks"],
                ["Accelerated schedules", "Several short sessions a day", "About 5 days"],
            ),
            _h("How well it works"),
            _p(
                """Across trials, a substantial minority of people with treatment-resistant
                depression respond to a course of TMS, and some reach remission. A large 2018
                trial found that three-minute theta burst sessions worked as well as the older
                37-minute protocol, which allowed clinics to treat more people. Accelerated
                schedules with several sessions a day, guided by brain imaging, have produced
                high remission rates in small trials and are now being tested more widely.""",
                """Benefits can fade over months, and some people need maintenance or repeat
                courses. Insurance coverage usually requires that several medications have been
                tried first.""",
            ),
            _callout(
                "risks",
                "Risks and side effects",
                """Headache and scalp discomfort at the stimulation site are common and usually
                ease over the first week. Seizures are a rare but serious risk. TMS is not
                suitable for people with metal implants in or near the head, such as aneurysm
                clips or cochlear implants; ordinary dental fillings are not a problem.""",
            ),
            _list(
                "unordered",
                "Ask whether the clinic measures your progress with a standard depression scale.",
                "Check how the coil position and stimulation strength are set.",
                "Ask what happens if you respond, and if you do not.",
            ),
            _references(
                {
                    "authors": "Blumberger DM, Vila-Rodriguez F, Thorpe KE, et al.",
                    "title": "Effectiveness of theta burst versus high-frequency repetitive "
                    "transcranial magnetic stimulation in patients with depression (THREE-D): "
                    "a randomised non-inferiority trial",
                    "source": "The Lancet",
                    "year": 2018,
                    "doi": "10.1016/S0140-6736(18)30295-2",
                },
            ),
        ],
    },
]

SERIES = [
    {
        "slug": "new-frontiers-in-treatment",
        "title": "New frontiers in treatment",
        "description": _text("""
            Treatments moving from the research clinic into practice: what they are, what the
            trials show, who they may help and what is still unknown.
        """),
        "image": {"motif": "rings", "colors": ("#10002b", "#e0aaff")},
        "articles": [
            "ketamine-assisted-psychotherapy-depression",
            "stem-cells-prp-joint-injuries",
            "psilocybin-depression-clinical-trials",
        ],
    },
    {
        "slug": "sleep-reconsidered",
        "title": "Sleep, reconsidered",
        "description": _text("""
            Insomnia, body clocks and breathing at night: a three-part guide to the sleep
            treatments with evidence behind them, and the popular ones with less.
        """),
        "image": {"motif": "waves", "colors": ("#0d1b2a", "#778da9")},
        "articles": [
            "cbt-insomnia-first-line-treatment",
            "melatonin-what-it-can-and-cannot-do",
            "sleep-apnea-who-should-get-tested",
        ],
    },
]
