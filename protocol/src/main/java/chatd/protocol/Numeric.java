package chatd.protocol;

/**
 * IRC numeric replies, named as in the IRC specifications (RFC 1459, RFC 2812 and
 * https://defs.ircdocs.horse/defs/numerics). Code always uses these constants, never the digits.
 */
public record Numeric(String code, String name) {
    public static final Numeric RPL_WELCOME = new Numeric("001", "RPL_WELCOME");
    public static final Numeric RPL_YOURHOST = new Numeric("002", "RPL_YOURHOST");
    public static final Numeric RPL_CREATED = new Numeric("003", "RPL_CREATED");
    public static final Numeric RPL_MYINFO = new Numeric("004", "RPL_MYINFO");
    public static final Numeric RPL_ISUPPORT = new Numeric("005", "RPL_ISUPPORT");
    public static final Numeric RPL_UMODEIS = new Numeric("221", "RPL_UMODEIS");
    public static final Numeric RPL_LUSERCLIENT = new Numeric("251", "RPL_LUSERCLIENT");
    public static final Numeric RPL_LUSEROP = new Numeric("252", "RPL_LUSEROP");
    public static final Numeric RPL_LUSERUNKNOWN = new Numeric("253", "RPL_LUSERUNKNOWN");
    public static final Numeric RPL_LUSERCHANNELS = new Numeric("254", "RPL_LUSERCHANNELS");
    public static final Numeric RPL_LUSERME = new Numeric("255", "RPL_LUSERME");
    public static final Numeric RPL_LOCALUSERS = new Numeric("265", "RPL_LOCALUSERS");
    public static final Numeric RPL_GLOBALUSERS = new Numeric("266", "RPL_GLOBALUSERS");
    public static final Numeric RPL_AWAY = new Numeric("301", "RPL_AWAY");
    public static final Numeric RPL_USERHOST = new Numeric("302", "RPL_USERHOST");
    public static final Numeric RPL_ISON = new Numeric("303", "RPL_ISON");
    public static final Numeric RPL_UNAWAY = new Numeric("305", "RPL_UNAWAY");
    public static final Numeric RPL_NOWAWAY = new Numeric("306", "RPL_NOWAWAY");
    public static final Numeric RPL_WHOISOPERATOR = new Numeric("313", "RPL_WHOISOPERATOR");
    public static final Numeric RPL_WHOWASUSER = new Numeric("314", "RPL_WHOWASUSER");
    public static final Numeric RPL_WHOISSPECIAL = new Numeric("320", "RPL_WHOISSPECIAL");
    public static final Numeric RPL_WHOISUSER = new Numeric("311", "RPL_WHOISUSER");
    public static final Numeric RPL_WHOISSERVER = new Numeric("312", "RPL_WHOISSERVER");
    public static final Numeric RPL_ENDOFWHO = new Numeric("315", "RPL_ENDOFWHO");
    public static final Numeric RPL_WHOISIDLE = new Numeric("317", "RPL_WHOISIDLE");
    public static final Numeric RPL_ENDOFWHOIS = new Numeric("318", "RPL_ENDOFWHOIS");
    public static final Numeric RPL_WHOISCHANNELS = new Numeric("319", "RPL_WHOISCHANNELS");
    public static final Numeric RPL_LIST = new Numeric("322", "RPL_LIST");
    public static final Numeric RPL_LISTEND = new Numeric("323", "RPL_LISTEND");
    public static final Numeric RPL_CHANNELMODEIS = new Numeric("324", "RPL_CHANNELMODEIS");
    public static final Numeric RPL_CREATIONTIME = new Numeric("329", "RPL_CREATIONTIME");
    public static final Numeric RPL_WHOISACCOUNT = new Numeric("330", "RPL_WHOISACCOUNT");
    public static final Numeric RPL_NOTOPIC = new Numeric("331", "RPL_NOTOPIC");
    public static final Numeric RPL_TOPIC = new Numeric("332", "RPL_TOPIC");
    public static final Numeric RPL_TOPICWHOTIME = new Numeric("333", "RPL_TOPICWHOTIME");
    public static final Numeric RPL_WHOISBOT = new Numeric("335", "RPL_WHOISBOT");
    public static final Numeric RPL_INVITING = new Numeric("341", "RPL_INVITING");
    public static final Numeric RPL_VERSION = new Numeric("351", "RPL_VERSION");
    public static final Numeric RPL_WHOREPLY = new Numeric("352", "RPL_WHOREPLY");
    public static final Numeric RPL_NAMREPLY = new Numeric("353", "RPL_NAMREPLY");
    public static final Numeric RPL_WHOSPCRPL = new Numeric("354", "RPL_WHOSPCRPL");
    public static final Numeric RPL_LINKS = new Numeric("364", "RPL_LINKS");
    public static final Numeric RPL_ENDOFLINKS = new Numeric("365", "RPL_ENDOFLINKS");
    public static final Numeric RPL_ENDOFNAMES = new Numeric("366", "RPL_ENDOFNAMES");
    public static final Numeric RPL_BANLIST = new Numeric("367", "RPL_BANLIST");
    public static final Numeric RPL_ENDOFBANLIST = new Numeric("368", "RPL_ENDOFBANLIST");
    public static final Numeric RPL_ENDOFWHOWAS = new Numeric("369", "RPL_ENDOFWHOWAS");
    public static final Numeric RPL_INFO = new Numeric("371", "RPL_INFO");
    public static final Numeric RPL_MOTD = new Numeric("372", "RPL_MOTD");
    public static final Numeric RPL_ENDOFINFO = new Numeric("374", "RPL_ENDOFINFO");
    public static final Numeric RPL_MOTDSTART = new Numeric("375", "RPL_MOTDSTART");
    public static final Numeric RPL_ENDOFMOTD = new Numeric("376", "RPL_ENDOFMOTD");
    public static final Numeric RPL_YOUREOPER = new Numeric("381", "RPL_YOUREOPER");
    public static final Numeric RPL_TIME = new Numeric("391", "RPL_TIME");
    public static final Numeric RPL_VISIBLEHOST = new Numeric("396", "RPL_VISIBLEHOST");
    public static final Numeric ERR_NOSUCHNICK = new Numeric("401", "ERR_NOSUCHNICK");
    public static final Numeric ERR_NOSUCHSERVER = new Numeric("402", "ERR_NOSUCHSERVER");
    public static final Numeric ERR_NOSUCHCHANNEL = new Numeric("403", "ERR_NOSUCHCHANNEL");
    public static final Numeric ERR_CANNOTSENDTOCHAN = new Numeric("404", "ERR_CANNOTSENDTOCHAN");
    public static final Numeric ERR_TOOMANYCHANNELS = new Numeric("405", "ERR_TOOMANYCHANNELS");
    public static final Numeric ERR_WASNOSUCHNICK = new Numeric("406", "ERR_WASNOSUCHNICK");
    public static final Numeric ERR_TOOMANYTARGETS = new Numeric("407", "ERR_TOOMANYTARGETS");
    public static final Numeric ERR_NOORIGIN = new Numeric("409", "ERR_NOORIGIN");
    public static final Numeric ERR_INVALIDCAPCMD = new Numeric("410", "ERR_INVALIDCAPCMD");
    public static final Numeric ERR_NORECIPIENT = new Numeric("411", "ERR_NORECIPIENT");
    public static final Numeric ERR_NOTEXTTOSEND = new Numeric("412", "ERR_NOTEXTTOSEND");
    public static final Numeric ERR_INPUTTOOLONG = new Numeric("417", "ERR_INPUTTOOLONG");
    public static final Numeric ERR_UNKNOWNCOMMAND = new Numeric("421", "ERR_UNKNOWNCOMMAND");
    public static final Numeric ERR_NOMOTD = new Numeric("422", "ERR_NOMOTD");
    public static final Numeric ERR_NONICKNAMEGIVEN = new Numeric("431", "ERR_NONICKNAMEGIVEN");
    public static final Numeric ERR_ERRONEUSNICKNAME = new Numeric("432", "ERR_ERRONEUSNICKNAME");
    public static final Numeric ERR_NICKNAMEINUSE = new Numeric("433", "ERR_NICKNAMEINUSE");
    public static final Numeric ERR_USERNOTINCHANNEL = new Numeric("441", "ERR_USERNOTINCHANNEL");
    public static final Numeric ERR_NOTONCHANNEL = new Numeric("442", "ERR_NOTONCHANNEL");
    public static final Numeric ERR_USERONCHANNEL = new Numeric("443", "ERR_USERONCHANNEL");
    public static final Numeric ERR_NOTREGISTERED = new Numeric("451", "ERR_NOTREGISTERED");
    public static final Numeric ERR_NEEDMOREPARAMS = new Numeric("461", "ERR_NEEDMOREPARAMS");
    public static final Numeric ERR_ALREADYREGISTERED = new Numeric("462", "ERR_ALREADYREGISTERED");
    public static final Numeric ERR_PASSWDMISMATCH = new Numeric("464", "ERR_PASSWDMISMATCH");
    public static final Numeric ERR_KEYSET = new Numeric("467", "ERR_KEYSET");
    public static final Numeric ERR_CHANNELISFULL = new Numeric("471", "ERR_CHANNELISFULL");
    public static final Numeric ERR_UNKNOWNMODE = new Numeric("472", "ERR_UNKNOWNMODE");
    public static final Numeric ERR_INVITEONLYCHAN = new Numeric("473", "ERR_INVITEONLYCHAN");
    public static final Numeric ERR_BANNEDFROMCHAN = new Numeric("474", "ERR_BANNEDFROMCHAN");
    public static final Numeric ERR_BADCHANNELKEY = new Numeric("475", "ERR_BADCHANNELKEY");
    public static final Numeric ERR_NOPRIVILEGES = new Numeric("481", "ERR_NOPRIVILEGES");
    public static final Numeric ERR_CHANOPRIVSNEEDED = new Numeric("482", "ERR_CHANOPRIVSNEEDED");
    public static final Numeric ERR_NOOPERHOST = new Numeric("491", "ERR_NOOPERHOST");
    public static final Numeric ERR_UMODEUNKNOWNFLAG = new Numeric("501", "ERR_UMODEUNKNOWNFLAG");
    public static final Numeric ERR_USERSDONTMATCH = new Numeric("502", "ERR_USERSDONTMATCH");
    public static final Numeric ERR_HELPNOTFOUND = new Numeric("524", "ERR_HELPNOTFOUND");
    public static final Numeric RPL_HELPSTART = new Numeric("704", "RPL_HELPSTART");
    public static final Numeric RPL_HELPTXT = new Numeric("705", "RPL_HELPTXT");
    public static final Numeric RPL_ENDOFHELP = new Numeric("706", "RPL_ENDOFHELP");
    public static final Numeric RPL_MONONLINE = new Numeric("730", "RPL_MONONLINE");
    public static final Numeric RPL_MONOFFLINE = new Numeric("731", "RPL_MONOFFLINE");
    public static final Numeric RPL_MONLIST = new Numeric("732", "RPL_MONLIST");
    public static final Numeric RPL_ENDOFMONLIST = new Numeric("733", "RPL_ENDOFMONLIST");
    public static final Numeric ERR_MONLISTFULL = new Numeric("734", "ERR_MONLISTFULL");
    public static final Numeric RPL_LOGGEDIN = new Numeric("900", "RPL_LOGGEDIN");
    public static final Numeric RPL_SASLSUCCESS = new Numeric("903", "RPL_SASLSUCCESS");
    public static final Numeric ERR_SASLFAIL = new Numeric("904", "ERR_SASLFAIL");
    public static final Numeric ERR_SASLTOOLONG = new Numeric("905", "ERR_SASLTOOLONG");
    public static final Numeric ERR_SASLABORTED = new Numeric("906", "ERR_SASLABORTED");
    public static final Numeric ERR_SASLALREADY = new Numeric("907", "ERR_SASLALREADY");
    public static final Numeric RPL_SASLMECHS = new Numeric("908", "RPL_SASLMECHS");

    @Override
    public String toString() {
        return code + " " + name;
    }
}
