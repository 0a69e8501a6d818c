namespace WeakNas.Studies;

/// <summary>
/// The single source of truth of studies and their trials. Every operation is atomic on its own and safe to call
/// from many threads and processes at once (on PostgreSQL, from many machines); state changes are conditional on
/// the state the caller expects, so two workers never claim the same trial and a finished trial never changes.
/// The conformance suite in the tests runs against every implementation.
/// </summary>
public interface IStudyStorage : IDisposable
{
    /// <summary>Stores a new study; an <see cref="InvalidInputException"/> when the name is taken.</summary>
    void CreateStudy(StudySpec spec);

    /// <summary>The study of that name, or null.</summary>
    StudySpec? FindStudy(string name);

    IReadOnlyList<string> StudyNames();

    /// <summary>Every trial of the study, by number.</summary>
    IReadOnlyList<Trial> Trials(string study);

    /// <summary>The trials numbered <paramref name="first"/> and up, by number (what a process that has the earlier ones needs).</summary>
    IReadOnlyList<Trial> TrialsFrom(string study, int first);

    /// <summary>How many trials the study has, whether any is waiting or running and whether it is paused, without reading them: what asking needs.</summary>
    StudyProgress Progress(string study);

    /// <summary>
    /// Appends proposed trials (state waiting) only if the study still has exactly <paramref name="expectedCount"/>
    /// trials, i.e. nobody proposed since the caller looked; false otherwise (nothing written). Trial numbers must
    /// continue from <paramref name="expectedCount"/>.
    /// </summary>
    bool AddTrials(string study, int expectedCount, IReadOnlyList<Trial> trials);

    /// <summary>
    /// Claims up to <paramref name="count"/> waiting trials for the worker, lowest numbers first (a trial another worker is
    /// claiming at that instant may be passed over), returned by number; none while the study is paused.
    /// </summary>
    IReadOnlyList<Trial> Claim(string study, int count, string worker, long nowMs);

    /// <summary>Refreshes a running trial's heartbeat; false if the worker no longer holds it.</summary>
    bool Heartbeat(string study, int number, string worker, long nowMs);

    /// <summary>
    /// Running trials whose heartbeat is older than <paramref name="cutoffMs"/> go back to waiting, or fail once they
    /// have been claimed <paramref name="maxAttempts"/> times. Returns how many trials it changed.
    /// </summary>
    int RequeueStale(string study, long cutoffMs, int maxAttempts, long nowMs);

    /// <summary>
    /// Completes a trial that is not finished yet (a late result from a worker whose trial was re-queued still counts);
    /// false if the trial had already finished.
    /// </summary>
    bool Complete(string study, int number, string worker, double value, string metrics, long nowMs);

    /// <summary>Fails a trial that is not finished yet, with the reason; false if it had already finished.</summary>
    bool Fail(string study, int number, string worker, string error, long nowMs);

    /// <summary>
    /// Pauses the study with the reason (its workers stop and nothing is claimed or proposed until it is resumed), or
    /// resumes it when <paramref name="reason"/> is null. A study paused already keeps its first reason.
    /// </summary>
    void SetPaused(string study, string? reason, long nowMs);

    /// <summary>
    /// Takes the study's proposal lease for the worker: true when nobody holds it, the worker does already, or the holder's
    /// lease (taken more than <paramref name="leaseMs"/> ago) has lapsed. Only the holder rebuilds the strategy and proposes
    /// the next batch, so many workers finishing a batch at once do not all compute it; <see cref="AddTrials"/> still decides
    /// whose batch is stored should two propose (one whose lease lapsed).
    /// </summary>
    bool LeaseProposal(string study, string worker, long nowMs, long leaseMs);

    /// <summary>Gives the proposal lease back if the worker holds it.</summary>
    void ReleaseProposal(string study, string worker);

    /// <summary>Why the study is paused, or null when it is not.</summary>
    string? Paused(string study);
}

/// <summary>A study's trial count (numbers run 0 to Total - 1), whether any trial is waiting or running, and whether the study is paused.</summary>
public readonly record struct StudyProgress(int Total, bool AnyWaiting, bool AnyRunning, bool Paused = false);
