/// The bench's prompts: the original design's two categories (short prompts that measure speed, longer ones
/// that ask for long answers) and its coding-assistant system prompt of about 1326 characters.
enum BenchPrompts {
    /// Short prompts, speed first: technical, creative, scientific, historical, technology.
    static let performance = [
        "Explain in a few sentences how a neural network learns from its mistakes.",
        "Continue this story: The lighthouse keeper found a letter that had not been there the night before.",
        "Summarise the main causes of climate change and one way to slow it.",
        "Why did the Western Roman Empire fall? Give three reasons.",
        "What is edge computing, and why does it matter for small devices at home?",
    ]

    /// Longer prompts that ask for long, structured answers: creativity, planning, coding, instruction
    /// following, consistency.
    static let quality = [
        "Write a fantasy story of about 400 words about a young cartographer who discovers that her maps change "
            + "the land they describe. Give it a beginning, a turning point and an ending.",
        "Plan the development of a small web application for a community library: list the phases, the tasks of "
            + "each, the risks, and how you would test it before launch.",
        "Write a Python function that reads a CSV file of sales (date, product, quantity, price), groups the "
            + "totals by month and product, and returns them sorted. Explain each step and handle bad rows.",
        "Answer only with a JSON object with the keys \"name\", \"ingredients\" (a list) and \"steps\" (a list) "
            + "for a simple vegetable soup. Use at least six ingredients and six steps.",
        "Write an essay on how the printing press changed Europe: its effect on religion, science, politics and "
            + "everyday reading. Keep one argument throughout and end with a conclusion.",
    ]

    /// A coding assistant's system prompt, as long as the original design's (1326 characters).
    static let systemPrompt =
        "You are an expert software engineering assistant working inside a developer's editor. You help with "
        + "Swift, Python, C, JavaScript and shell scripts. Follow these rules in every answer. First, read the "
        + "question carefully and restate the goal in one sentence when it is ambiguous. Second, prefer small, "
        + "correct, readable code over clever code; name things clearly and keep functions short. Third, when "
        + "you change existing code, show only the parts that change, with enough context to find them, and "
        + "explain why each change is needed. Fourth, never invent APIs: when you are not sure that a function "
        + "or a flag exists, say so and suggest how to check the documentation. Fifth, handle errors explicitly: "
        + "no silent failures, no crashes on bad input, clear messages for the user. Sixth, think about "
        + "performance only after correctness, and measure before optimising. Seventh, write tests for the "
        + "behaviour a user would notice if it broke, and keep them fast and deterministic. Eighth, mention "
        + "security concerns such as injection, unsafe deserialisation, leaked secrets or unbounded memory when "
        + "they apply. Ninth, format code blocks with the language name, and keep explanations brief and "
        + "concrete. Tenth, if the request is outside software engineering, answer briefly and politely and "
        + "steer back to the code. Clarity first, then speed."

    /// Questions asked after the system prompt, one per cache scenario.
    static let questions = [
        "How do I reverse a linked list in Swift?",
        "What is the difference between a process and a thread?",
        "How should I validate user input in a web form handler?",
        "Write a shell one-liner that counts the lines of every .swift file.",
        "When should I use a struct instead of a class?",
        "How do I read a file line by line in Python without loading it all?",
        "What does a mutex protect against?",
        "How can I make a unit test deterministic when it uses the clock?",
    ]

    /// The system prompt, made unique by `tag` at its start so that no cache already holds it.
    static func systemPrompt(tag: String) -> String {
        "[\(tag)] " + systemPrompt
    }
}
