namespace WeakNas.Studies;

/// <summary>
/// Evaluates one trial's architecture and returns its metrics as a JSON object (which must hold the study's metric);
/// throws <see cref="EvaluationException"/> with the reason when it cannot.
/// </summary>
public interface ITrialEvaluator
{
    string Evaluate(StudySpec study, Trial trial, CancellationToken cancel);
}
