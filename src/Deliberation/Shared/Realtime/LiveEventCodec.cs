using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CommunityDeliberation.Deliberation.Shared.Realtime;

/// <summary>
/// Turns a <see cref="LiveEvent"/> into one JSON message and back, so a transport between instances (ADR 0022) carries it
/// unchanged. The message names the event's concrete type by its short name, taken from the closed set of
/// <see cref="LiveEvent"/> types of this assembly: nothing outside that set is ever created from a message. The sending
/// instance's id travels with it, so an instance can skip its own events (it has delivered them already).
/// </summary>
public static class LiveEventCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>Every concrete event type, by name (names are unique: the constructor checks it).</summary>
    public static FrozenDictionary<string, Type> Types { get; } = typeof(LiveEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LiveEvent)) && !t.IsAbstract)
        .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static string Encode(LiveEvent liveEvent, string origin)
    {
        var type = liveEvent.GetType();
        if (!Types.ContainsKey(type.Name))
        {
            throw new ArgumentException($"{type.FullName} is not a LiveEvent of this assembly", nameof(liveEvent));
        }

        var message = new JsonObject
        {
            ["o"] = origin,
            ["t"] = type.Name,
            ["e"] = JsonSerializer.SerializeToNode(liveEvent, type, Json),
        };
        return message.ToJsonString(Json);
    }

    /// <summary>Reads a message; <c>null</c> (and the reason) for anything that is not one of ours.</summary>
    public static (string Origin, LiveEvent Event)? Decode(string message, out string? problem)
    {
        problem = null;
        try
        {
            if (JsonNode.Parse(message) is not JsonObject node
                || node["o"]?.GetValue<string>() is not { } origin
                || node["t"]?.GetValue<string>() is not { } name
                || node["e"] is not JsonObject payload)
            {
                problem = "not an event message";
                return null;
            }

            if (!Types.TryGetValue(name, out var type))
            {
                problem = $"unknown event type '{name}'";
                return null;
            }

            if (payload.Deserialize(type, Json) is not LiveEvent liveEvent)
            {
                problem = "empty event";
                return null;
            }

            return (origin, liveEvent);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or NotSupportedException)
        {
            problem = ex.Message;
            return null;
        }
    }
}
