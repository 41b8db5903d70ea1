"""Words for the synthetic event: names, teams, what reps say, what peers and coaches write."""
from __future__ import annotations

FIRST = ("Ada", "Ben", "Cara", "Dev", "Elif", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lena", "Mo",
         "Nia", "Omar", "Pia", "Quinn", "Ravi", "Sana", "Tom", "Uma", "Vik", "Wren", "Xia", "Yusuf", "Zoe",
         "Alba", "Bram", "Chloe", "Dario", "Esme", "Finn", "Greta", "Hugo", "Iris", "Jonas", "Kemi", "Luca",
         "Maya", "Nils", "Olga", "Pablo", "Rosa", "Sami", "Tara", "Ugo", "Vera", "Will", "Yara", "Zane")
LAST = ("Abbott", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
        "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Quist", "Rossi", "Silva", "Tanaka",
        "Usman", "Varga", "Weber", "Xu", "Young", "Zhang", "Andersen", "Bianchi", "Costa", "Dubois")
REGIONS = ("North", "South", "East", "West", "Central", "EMEA", "APAC", "LatAm", "Nordics", "DACH",
           "Benelux", "Iberia", "UKI", "ANZ", "Canada", "Midwest")

FILLER = ("so the thing I want to share today is how we open a conversation",
          "when I spoke with the buyer last quarter they were not convinced",
          "what I learned is that we need to listen before we talk",
          "the customer told me they already had a vendor for that",
          "I think the key point here is timing and relevance",
          "let me give you an example from a deal in my territory",
          "um we spent a lot of time on the first meeting",
          "and that changed how the whole team approached the account",
          "the buyer's priorities this year are cost and speed",
          "you know the first thirty seconds decide the rest of the call",
          "our product matters only when it solves their problem",
          "so I asked them what would happen if nothing changed")
TERM_LINES = ("the most useful idea here is the {t}",
              "this is where a {t} really helps",
              "I used a {t} and the buyer opened up",
              "remember the {t} when you prepare",
              "that is why the {t} matters for every rep")

OVERALL = ("Clear and confident; tighten the ending.", "Good structure, needs a sharper question.",
           "Great example from a real deal.", "Rushed the middle part; slow down.",
           "Strong use of the team's vocabulary.", "Missed the call to action.",
           "Natural delivery, easy to follow.", "Too much pitching, not enough asking.", "", "")
CRIT_COMMENTS = ("Nailed this.", "Could be more specific.", "Say it in your own words.",
                 "Good, but late in the take.", "Right here.", "")
TIMED = ("Nice question here.", "This is the moment it clicked.", "Lost me here.",
         "Great reframe.", "Filler words pile up here.", "Pause before the ask.")
COACH_NOTES = ("Use this take in Thursday's deal clinic.", "Pair with a peer on the Socratic question.",
               "Work on a dated next step.", "Good candidate for the exemplar library.",
               "Ask the rep to redo with a shorter opening.")
EXEMPLAR_REASONS_BY_EXERCISE = {
    "teach-back-reframing": ("Clear definition in their own words, with a real deal as the example.",
                             "The Socratic question let the room discover the point.",
                             "Ends with an action every rep can take this week."),
    "cold-call": ("Reframed 'we already have a vendor' into a reason to keep talking.",
                  "An open question that made the buyer name the problem.",
                  "Booked the discovery call with a date and an agenda."),
    "email-outreach": ("Names a real trigger and why it matters to this buyer.",
                       "One light, specific ask.", "Reframes the status quo in two sentences."),
    "champion-building": ("Tests the champion's power with a concrete task.",
                          "Finds the economic buyer through the champion.", "Open questions all the way."),
    "new-messaging-pitch": ("All three pillars, stated the way the team states them.",
                            "Reframes 'nice-to-have' with a pillar.", "A dated next step with the CFO."),
}
EXEMPLAR_REASONS = ("Textbook reframe of the objection, in our own words.",
                    "Every pillar stated the way the team states them.",
                    "A Socratic question that let the buyer name the problem.",
                    "Clear definition, a real example and a dated next step.")
