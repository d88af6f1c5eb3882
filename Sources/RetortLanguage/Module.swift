// RetortLanguage module.
