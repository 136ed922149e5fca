"""The XSLT browser view (``browser_view: xslt``), written only on request.

XSLT turns the feed into an HTML page with clickable links, where the
browser still runs XSLT.  Chrome turns XSLT off by default from version
158 and other engines are removing it (WHATWG's "Removing XSLT" proposal): there the page
shows the raw XML (or an error page), which is why ``css`` is the
default.  The W3C Feed Validation Service accepts the instruction either
way (it checks the feed, not the view).  This view shows every entry's
title, date, summary and link.
"""

from __future__ import annotations

FEED_XSL = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- The XSLT browser view of this site's feeds (written by feedwright).
     Feed readers ignore it; browsers that still run XSLT show a page. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/">
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></title>
        <style>
          body { max-width: 46em; margin: 0 auto; padding: 1em;
                 font-family: Georgia, serif; line-height: 1.5;
                 color: #1f2328; background-color: #ffffff; }
          .about { padding: 0.75em 1em; border: 1px solid #c8d1dc;
                   font-family: Arial, sans-serif;
                   color: #1f2328; background-color: #eef4fb; }
          article { border-top: 1px solid #d0d7de; padding-top: 1em; }
          time { font-family: Arial, sans-serif; font-size: 0.85em;
                 color: #57606a; background-color: #ffffff; }
        </style>
      </head>
      <body>
        <xsl:apply-templates select="rss/channel | atom:feed"/>
      </body>
    </html>
  </xsl:template>
  <xsl:template name="about">
    <xsl:param name="self"/>
    <p class="about">This is a web feed, a page meant for feed readers. To follow
      this site, copy its address into a feed reader (NetNewsWire, Feedly,
      Inoreader, Miniflux, Thunderbird…):
      <input type="text" readonly="readonly" size="60" value="{$self}"/></p>
  </xsl:template>
  <xsl:template match="channel">
    <h1><a href="{link}"><xsl:value-of select="title"/></a></h1>
    <p><xsl:value-of select="description"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <time><xsl:value-of select="pubDate"/></time>
        <p><xsl:value-of select="description"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="atom:feed">
    <h1><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <xsl:for-each select="atom:entry">
      <article>
        <h2><a href="{atom:link[not(@rel) or @rel='alternate']/@href}"><xsl:value-of
            select="atom:title"/></a></h2>
        <time><xsl:value-of select="atom:published"/></time>
        <p><xsl:value-of select="atom:summary"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
"""
