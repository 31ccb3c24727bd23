using System.Reflection;
using CommunityDeliberation.Deliberation.Minutes;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Minutes;

public sealed class SessionLogChainTests
{
    [Fact]
    public void AnUntouchedChainVerifies()
    {
        var log = RecordedSession.Log();
        var result = SessionLogChain.Verify(log);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(log.Count, result.Entries);
        Assert.Equal(log[^1].Hash, result.LastHash);
    }

    [Fact]
    public void FirstEntryLinksToTheGenesisHash() => Assert.Equal(SessionLogEntry.Genesis, RecordedSession.Log()[0].PreviousHash);

    [Fact]
    public void CatchesATamperedPayload()
    {
        var log = RecordedSession.Log();
        var poll = log.FindIndex(e => e.Kind == PollOpenedEntry.Kind);
        var tampered = log[poll].PayloadJson.Replace("沪闵路", "某某路", StringComparison.Ordinal);
        Assert.NotEqual(log[poll].PayloadJson, tampered);
        Set(log[poll], nameof(SessionLogEntry.PayloadJson), tampered);
        var result = SessionLogChain.Verify(log);
        Assert.False(result.IsValid);
        Assert.Equal(poll + 1, result.BrokenAtSequence);
    }

    [Fact]
    public void CatchesATamperedEntryWhoseHashWasRecomputed()
    {
        // Someone edits entry 3 and fixes its own hash: the next entry's link no longer matches.
        var log = RecordedSession.Log();
        Set(log[2], nameof(SessionLogEntry.ActorUserId), "someone-else");
        Set(log[2], nameof(SessionLogEntry.Hash), log[2].ComputeHash());
        var result = SessionLogChain.Verify(log);
        Assert.False(result.IsValid);
        Assert.Equal(4, result.BrokenAtSequence);
    }

    [Fact]
    public void CatchesARemovedEntry()
    {
        var log = RecordedSession.Log();
        log.RemoveAt(4);
        var result = SessionLogChain.Verify(log);
        Assert.False(result.IsValid);
        Assert.Equal(6, result.BrokenAtSequence);
    }

    [Fact]
    public void CatchesAChangedTimestamp()
    {
        var log = RecordedSession.Log();
        Set(log[0], nameof(SessionLogEntry.AtUtc), log[0].AtUtc.AddMinutes(-30));
        Assert.Equal(1, SessionLogChain.Verify(log).BrokenAtSequence);
    }

    private static void Set<T>(SessionLogEntry entry, string property, T value) =>
        typeof(SessionLogEntry).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.SetValue(entry, value);
}
