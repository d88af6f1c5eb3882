import Testing
@testable import RetortLanguage
