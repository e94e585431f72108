"""Word lists and a seeded text generator for bulk benchmark articles (plausible, not advice)."""

import random
import re

from django.utils.text import slugify

# fmt: off
SUBJECTS = [
    "sleep apnoea", "migraine", "blood pressure", "type 2 diabetes", "long covid", "asthma",
    "back pain", "anxiety", "depression", "insomnia", "gut microbiome", "knee osteoarthritis",
    "cholesterol", "heart failure", "atrial fibrillation", "menopause", "endometriosis",
    "psoriasis", "eczema", "hay fever", "vitamin D", "iron deficiency", "kidney stones",
    "gout", "glaucoma", "cataracts", "tinnitus", "hearing loss", "concussion", "stroke",
    "dementia", "Parkinson's disease", "multiple sclerosis", "epilepsy", "ADHD", "autism",
    "obesity", "fatty liver", "coeliac disease", "irritable bowel syndrome", "acid reflux",
    "shingles", "measles", "influenza", "RSV", "HPV vaccination", "breast cancer screening",
    "bowel cancer screening", "prostate health", "skin cancer", "sunscreen", "osteoporosis",
    "running injuries", "strength training", "walking", "intermittent fasting",
    "ultra-processed food", "caffeine", "alcohol", "smoking cessation", "vaping",
    "screen time", "loneliness", "burnout", "chronic fatigue", "fibromyalgia", "lupus",
    "rheumatoid arthritis", "thyroid disease", "PCOS", "fertility", "pregnancy nutrition",
    "postnatal depression", "childhood vaccines", "teen sleep", "healthy ageing", "falls",
    "hip replacement", "physiotherapy", "antibiotic resistance", "sepsis", "allergies",
    "peanut allergy", "air pollution", "heatwaves", "noise", "hydration", "salt", "fibre",
    "omega-3", "probiotics", "mindfulness", "cognitive behavioural therapy", "GLP-1 drugs",
    "statins", "aspirin", "painkillers", "sleep trackers", "wearables", "telehealth",
]

TOPICS = [
    ("Mental health", "Mood, anxiety, stress and the treatments that help."),
    ("Sleep", "How we sleep, why it matters and what disrupts it."),
    ("Nutrition", "Food, diets and the evidence behind them."),
    ("Pain", "Acute and chronic pain, and how to manage it."),
    ("Heart health", "Blood pressure, cholesterol and the heart."),
    ("Diabetes", "Living with and preventing diabetes."),
    ("Cancer", "Screening, treatment and survivorship."),
    ("Infectious disease", "Viruses, bacteria, vaccines and outbreaks."),
    ("Women's health", "Menstruation, menopause, pregnancy and more."),
    ("Men's health", "Prostate, testosterone and the conditions men face."),
    ("Children's health", "From newborns to teenagers."),
    ("Healthy ageing", "Staying well in later life."),
    ("Fitness", "Exercise, movement and sport."),
    ("Brain and nerves", "Neurology from migraine to dementia."),
    ("Skin", "Dermatology and sun safety."),
    ("Digestive health", "The gut, from reflux to the microbiome."),
    ("Respiratory health", "Lungs, asthma and air quality."),
    ("Regenerative medicine", "Stem cells, gene therapy and tissue repair."),
    ("Public health", "Policy, prevention and the health of populations."),
    ("Medicines", "Drugs, side effects and how to take them."),
    ("Environment and health", "Heat, pollution, noise and where we live."),
    ("Technology", "Apps, wearables and digital medicine."),
]

FIRST_NAMES = [
    "Amara", "Sofia", "Priya", "Jonas", "Mei", "Tomasz", "Aisha", "Lucas", "Noor", "Kenji",
    "Elena", "Mateo", "Fatima", "Oliver", "Ines", "Kwame", "Hannah", "Ravi", "Leila", "Sven",
    "Chloe", "Diego", "Yara", "Felix", "Maya", "Arjun", "Zainab", "Henrik", "Lucia", "Omar",
    "Grace", "Tariq", "Nadia", "Emil", "Rosa", "Samuel", "Ayesha", "Pavel", "Clara", "Idris",
]
LAST_NAMES = [
    "Okafor", "Lindqvist", "Raman", "Berg", "Chen", "Nowak", "Bello", "Moreau", "Haddad",
    "Tanaka", "Petrova", "Garcia", "Rahman", "Walsh", "Silva", "Mensah", "Fischer", "Iyer",
    "Karimi", "Johansson", "Dubois", "Herrera", "Aziz", "Novak", "Kaur", "Adeyemi", "Larsen",
    "Rossi", "Farouk", "Osei", "Murphy", "Khan", "Schmidt", "Costa", "Yilmaz", "Kowalski",
]
CREDENTIALS = ["MD", "PhD", "RN", "MD, PhD", "PsyD", "PharmD", "MPH", "DPT"]
ROLES = [
    "Health reporter", "Senior health reporter", "Science writer", "Contributing writer",
    "Nutrition correspondent", "Medical editor", "Clinical reviewer", "Data reporter",
]

TAGS = [
    "evidence", "new study", "clinical trial", "explainer", "myth-busting", "guidelines",
    "NHS", "FDA", "WHO", "prevention", "screening", "diagnosis", "treatment", "side effects",
    "self-care", "parents", "teenagers", "older adults", "women", "men", "diet", "exercise",
    "stress", "workplace", "cost of care", "waiting lists", "primary care", "genetics",
    "vaccines", "pharmacy", "surgery", "rehabilitation", "mental wellbeing", "habits",
    "wearables", "apps", "research funding", "inequality", "rural health", "global health",
    "climate", "winter", "summer", "holidays", "Q&A", "first person", "data", "long read",
    "quick read", "checklist", "how-to", "interview", "opinion", "review", "update",
]

TITLE_PATTERNS = [
    "What the latest research says about {s}",
    "{S}: what you need to know",
    "How {s} affects {g}",
    "Five questions about {s}, answered",
    "Is {s} linked to {s2}?",
    "The quiet rise of {s}",
    "{S} and {s2}: separating evidence from hype",
    "A clinician's guide to {s}",
    "Why {s} is harder to treat than it looks",
    "Living with {s}: {g} tell their stories",
    "New guidance on {s} for {g}",
    "Can {s2} help with {s}?",
    "{S}: the myths that won't go away",
    "Everything we got wrong about {s}",
    "The cost of {s}, in numbers",
    "{S} in {g}: what doctors are seeing",
    "Why {g} are asking about {s}",
    "A new test for {s} shows promise",
    "Does {s2} make {s} worse?",
    "The science of {s}, explained",
    "{S}: a new study of {n} people",
    "What {g} should know about {s} and {s2}",
    "Rethinking {s}: lessons from {y} years of research",
    "How to talk to your doctor about {s}",
    "{S}, {s2} and the evidence gap",
]
GROUPS = [
    "older adults", "teenagers", "new parents", "shift workers", "athletes", "women over 40",
    "men over 50", "children", "carers", "students", "office workers", "people with diabetes",
]
SUBTITLES = [
    "A plain-language look at the evidence",
    "What changed, and what it means for you",
    "Doctors weigh in on a common question",
    "The studies behind the headlines",
    "",
    "",
]

OPENERS = [
    "A new analysis of {n} patients suggests that {s} is more common than previously thought.",
    "Researchers have long suspected a connection between {s} and {s2}.",
    "For many {g}, {s} is part of daily life, yet it remains poorly understood.",
    "Clinicians say questions about {s} are among the most frequent they hear.",
    "The guidance on {s} has changed several times over the past decade.",
]
SENTENCES = [
    "The study followed {n} participants for {y} years and compared outcomes across groups.",
    "Experts caution that observational data cannot prove that {s} causes {s2}.",
    "Small changes, repeated daily, tend to matter more than dramatic interventions.",
    "Symptoms vary widely, and many people go years without a diagnosis.",
    "Access to specialist care remains uneven, especially outside large cities.",
    "The researchers adjusted for age, income, smoking and physical activity.",
    "Side effects were generally mild and resolved within a few weeks.",
    "A larger randomised trial is already under way and should report within {y} years.",
    "Guidelines now recommend discussing {s} at routine appointments.",
    "Patients often describe the condition as exhausting and isolating.",
    "The effect was strongest among {g}, the authors reported.",
    "Costs to health systems are substantial and rising.",
    "Not every finding has held up when other teams tried to repeat it.",
    "Simple screening questions can identify most people at risk.",
    "Family history increases the risk, but it is not destiny.",
    "The benefit appeared within weeks and lasted for at least a year.",
    "Some experts argue the evidence is still too thin to change practice.",
    "Sleep, diet and exercise all interact with {s} in ways that are hard to untangle.",
    "Pharmacists can often advise on over-the-counter options and interactions.",
    "The findings were published in a peer-reviewed journal this month.",
    "Researchers now want to know whether the results apply to {g}.",
    "Waiting times for assessment have grown, according to recent figures.",
    "Combining treatments may work better than any single approach.",
    "Doctors stress that anyone with sudden or severe symptoms should seek help.",
]
QUOTES = [
    "We are finally asking the right questions about {s}.",
    "Most people improve with simple, consistent changes.",
    "The evidence is encouraging, but it is not yet conclusive.",
    "Patients deserve clear information, not headlines.",
    "What works for one person may not work for another.",
]
CALLOUT_TITLES = {
    "note": "Good to know",
    "tip": "Try this",
    "warning": "When to see a doctor",
    "risks": "Risks and side effects",
    "key-points": "Key points",
}
LIST_ITEMS = [
    "Keep a simple diary of symptoms and triggers",
    "Ask your pharmacist about interactions with other medicines",
    "Aim for regular sleep and wake times",
    "Build activity into the day in short bouts",
    "Limit alcohol and avoid smoking",
    "Bring a list of questions to your appointment",
    "Check whether a screening programme applies to you",
    "Review your medicines with a clinician once a year",
    "Seek urgent help for chest pain or sudden weakness",
    "Drink water regularly, especially in hot weather",
]
JOURNALS = [
    "The Lancet", "BMJ", "JAMA", "New England Journal of Medicine", "Nature Medicine",
    "PLOS Medicine", "Annals of Internal Medicine", "Cochrane Database of Systematic Reviews",
]
EXTERNAL_SITES = [
    "https://www.who.int/health-topics",
    "https://www.nhs.uk/conditions/",
    "https://medlineplus.gov/",
    "https://www.cdc.gov/",
]
# fmt: on


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class TextMaker:
    """Seeded sentences, titles and names; one instance per article keeps output reproducible."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, pattern: str, subject: str | None = None) -> str:
        rng = self.rng
        s = subject or rng.choice(SUBJECTS)
        return pattern.format(
            s=s,
            S=cap(s),
            s2=rng.choice(SUBJECTS),
            g=rng.choice(GROUPS),
            n=f"{rng.randrange(200, 90000):,}",
            y=rng.randrange(2, 15),
        )

    def sentences(self, count: int, subject: str) -> list[str]:
        return [self.fill(self.rng.choice(SENTENCES), subject) for _ in range(count)]

    def paragraph(self, subject: str, *, opener: bool = False) -> str:
        parts = [self.fill(self.rng.choice(OPENERS), subject)] if opener else []
        parts += self.sentences(self.rng.randrange(3, 7), subject)
        return " ".join(parts)


WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def slug_for(text: str, suffix: str, max_length: int = 80) -> str:
    base = slugify(text)[: max_length - len(suffix) - 1].strip("-")
    return f"{base}-{suffix}" if base else suffix
