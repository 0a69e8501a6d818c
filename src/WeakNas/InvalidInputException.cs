namespace WeakNas;

/// <summary>
/// A problem with what the user gave (an option, a file, a value): its message is one line that names
/// the problem and is shown as is, without a stack trace.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string message) : base(message) { }

    public InvalidInputException(string message, Exception inner) : base(message, inner) { }

    public InvalidInputException() { }
}
