using System.Reflection;
using CommunityDeliberation.Deliberation.Shared.Realtime;
using CommunityDeliberation.Deliberation.Voting;

namespace CommunityDeliberation.Tests.Realtime;

/// <summary>Every live event crosses instances unchanged (ADR 0022); messages that are not ours are refused.</summary>
public sealed class LiveEventCodecTests
{
    public static TheoryData<string> EventTypes() => [.. LiveEventCodec.Types.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void KnowsEveryConcreteLiveEventOfTheAssembly()
    {
        var concrete = typeof(LiveEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LiveEvent)) && !t.IsAbstract).ToList();

        Assert.True(concrete.Count >= 17, $"only {concrete.Count} event types found");
        Assert.Equal(concrete.Count, LiveEventCodec.Types.Count);
        Assert.Contains(nameof(TallyChanged), LiveEventCodec.Types.Keys);
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void EventRoundTripsWithEveryValue(string name)
    {
        var original = Sample(LiveEventCodec.Types[name]);

        var message = LiveEventCodec.Encode(original, "instance-a");
        var decoded = LiveEventCodec.Decode(message, out var problem);

        Assert.Null(problem);
        Assert.NotNull(decoded);
        Assert.Equal("instance-a", decoded.Value.Origin);
        Assert.IsType(original.GetType(), decoded.Value.Event);
        Assert.Equal(original.Channel, decoded.Value.Event.Channel);
        // Records with lists compare by reference: compare what they carry instead.
        Assert.Equal(message, LiveEventCodec.Encode(decoded.Value.Event, "instance-a"));
    }

    [Fact]
    public void TallyKeepsItsCounts()
    {
        var decoded = LiveEventCodec.Decode(LiveEventCodec.Encode(new TallyChanged(4, 8, 15, new VoteCount([7, 5, 3], 15)), "a"), out _);

        var tally = Assert.IsType<TallyChanged>(decoded?.Event);
        Assert.Equal([7, 5, 3], tally.Count!.OptionVotes);
        Assert.Equal(15, tally.Ballots);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"o\":\"a\",\"t\":\"String\",\"e\":{}}")]
    [InlineData("{\"o\":\"a\",\"t\":\"System.IO.FileInfo\",\"e\":{\"fileName\":\"/etc/passwd\"}}")]
    [InlineData("{\"o\":\"a\",\"t\":\"TallyChanged\",\"e\":\"x\"}")]
    [InlineData("{\"o\":\"a\",\"t\":\"TallyChanged\",\"e\":{\"SessionId\":\"seven\"}}")]
    [InlineData("{\"t\":\"TallyChanged\",\"e\":{}}")]
    public void RefusesMessagesThatAreNotEvents(string message)
    {
        var decoded = LiveEventCodec.Decode(message, out var problem);

        Assert.Null(decoded);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    /// <summary>An instance through its widest constructor, every argument a distinct non-default value.</summary>
    private static LiveEvent Sample(Type type)
    {
        var seed = 1;
        return (LiveEvent)Build(type, ref seed);
    }

    private static object Build(Type type, ref int seed)
    {
        seed++;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(int))
        {
            return seed;
        }

        if (underlying == typeof(string))
        {
            return "名字-" + seed;
        }

        if (underlying == typeof(bool))
        {
            return true;
        }

        if (underlying == typeof(DateTime))
        {
            return new DateTime(2026, 12, 3, 7, 30, seed % 60, DateTimeKind.Utc);
        }

        if (underlying.IsEnum)
        {
            var values = Enum.GetValues(underlying);
            return values.GetValue(seed % values.Length)!;
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = underlying.GetGenericArguments()[0];
            var list = Array.CreateInstance(element, 2);
            list.SetValue(Build(element, ref seed), 0);
            list.SetValue(Build(element, ref seed), 1);
            return list;
        }

        var constructor = underlying.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length)
            ?? throw new InvalidOperationException($"{underlying.Name} has no public constructor: teach the sample builder about it");
        var parameters = constructor.GetParameters();
        var arguments = new object[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Build(parameters[i].ParameterType, ref seed);
        }

        return constructor.Invoke(arguments);
    }
}
