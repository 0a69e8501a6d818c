using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>
/// Without WEAKNAS_TEST_POSTGRES the PostgreSQL cases are left out of the storage theories. CI sets
/// WEAKNAS_REQUIRE_POSTGRES=1 so that a missing or unreachable server fails the run instead of skipping them silently.
/// </summary>
public class PostgresRequirementTests
{
    [Fact]
    public void Postgres_is_configured_and_reachable_when_required()
    {
        if (Environment.GetEnvironmentVariable(Backends.RequirePostgresVariable) != "1") return;
        string? url = Backends.PostgresUrl;
        Assert.True(url != null, $"{Backends.RequirePostgresVariable}=1 but {Backends.PostgresVariable} is not set: the PostgreSQL storage tests would be skipped");
        try
        {
            using var storage = new PostgresStudyStorage(url);
            storage.StudyNames();
        }
        catch (InvalidInputException e)
        {
            Assert.Fail($"{Backends.PostgresVariable} is set but PostgreSQL is unreachable: {e.Message}");
        }
        Assert.Contains(Backends.Postgres, ((IEnumerable<object[]>)Backends.All()).Select(row => (string)row[0]));
    }
}
