using System.Text.Json;
using System.Text.Json.Serialization;

namespace CommunityDeliberation.Deliberation.Minutes;

/// <summary>
/// The typed payload of a session-log entry (<see cref="SessionLogEntry.PayloadJson"/>). Each kind of entry is a sealed
/// record in its feature's folder (<c>Sessions/SessionLogEntries.cs</c>, <c>Voting/VotingLogEntries.cs</c>…), listed in
/// <see cref="SessionLogTypes"/>; a kind written in several shapes has one record per shape.
/// </summary>
/// <remarks>
/// The record's JSON is hashed into the chain and read back by the minutes for as long as the record is kept, so its
/// property names, their order and whether a null is written or left out are a stored format: they reproduce, byte
/// for byte, what the services wrote before the entries were typed (ADR 0011, typed log entries), and do not change.
/// Values the domain holds as enums are strings here, as they always were in the log, so an old log still reads after
/// an enum changes. Properties are serialized in declaration order, a derived record's before its base's: a record
/// therefore inherits no serialized properties.
/// </remarks>
public abstract record SessionLogEvent;

/// <summary>The kind a typed entry is stored under; implemented by every sealed <see cref="SessionLogEvent"/>.</summary>
public interface ISessionLogEvent
{
    /// <summary>The entry's <see cref="SessionLogEntry.Kind"/>, e.g. "agenda.moved".</summary>
    static abstract string Kind { get; }

    /// <summary>
    /// For a kind written in several shapes (one record each): whether a stored payload of the kind is this record's
    /// shape. The registry asks the shapes of a kind in the order it lists them; the last one may take the rest.
    /// </summary>
    static virtual bool Matches(JsonElement payload) => true;
}

/// <summary>A member as the log names them: { id, name } (the membership's id and the name it had then).</summary>
public sealed record LoggedMember(int Id, string Name);

/// <summary>
/// Writes an enum as its number and reads a number or a name: for the one place where the log has always held an
/// enum as the serializer's default wrote it (a closed vote's <c>decision.outcome</c>), while hand-made logs in the
/// tests wrote the name.
/// </summary>
public sealed class EnumNumberConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Enum.Parse<TEnum>(reader.GetString()!)
            : (TEnum)Enum.ToObject(typeof(TEnum), reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
}
