namespace CommunityDeliberation.App;

/// <summary>Marker for the UI strings in Resources/SharedResource.resx (Chinese, neutral) and SharedResource.en.resx.</summary>
public sealed class SharedResource;
