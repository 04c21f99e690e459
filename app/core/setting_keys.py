"""Keys of the school's settings that several floors read, typed once.

(The settings themselves, with their labels and limits, are in app/modules/school_settings.py.)
"""

SCHOOL_NAME_KEY = "school.name"
SCHOOL_LANGUAGE_KEY = "school.language"
